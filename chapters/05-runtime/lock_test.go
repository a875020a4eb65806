package runtime

import (
	"errors"
	"os"
	"testing"
	"time"
)

// TestTryLock asks for a container's lock without waiting, as supervised
// and Reconcile do: a free lock is taken, and then held exclusively; a held
// one gives nil, nil at once; a missing file is os.ErrNotExist, which
// Reconcile tells apart. flock(2) locks belong to an open file, not to a
// process, so a second open of the path stands in for another minibox.
func TestTryLock(t *testing.T) {
	p := Paths{Root: t.TempDir(), Run: t.TempDir()}
	s := &State{ID: "c0ffee", Name: "web"}
	path := containerLock(p, s.ID)
	if lock, err := tryNow(t, path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("tryLock on a missing file: %v, %v; want an error that is os.ErrNotExist", lock, err)
		if lock != nil {
			lock.Unlock()
		}
	}

	held, err := LockFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if lock, err := tryNow(t, path); lock != nil || err != nil {
		t.Errorf("tryLock on a held lock: %v, %v; want nil, nil", lock, err)
		if lock != nil {
			lock.Unlock()
		}
	}
	if !supervised(p, s) {
		t.Errorf("supervised with the lock held: false, want true")
	}
	held.Unlock()

	lock, err := tryNow(t, path)
	if lock == nil || err != nil {
		t.Fatalf("tryLock on a free lock: %v, %v; want the lock", lock, err)
	}
	if again, err := tryNow(t, path); again != nil || err != nil {
		t.Errorf("tryLock while an earlier tryLock holds the lock: %v, %v; want nil, nil: the lock is not exclusive", again, err)
		if again != nil {
			again.Unlock()
		}
	}
	lock.Unlock()
	if supervised(p, s) {
		t.Errorf("supervised with the lock free: true, want false")
	}
}

// tryNow is tryLock(path), which must answer at once: a lock that is held
// is an answer, not something to wait for.
func tryNow(t *testing.T, path string) (*Lock, error) {
	t.Helper()
	type result struct {
		lock *Lock
		err  error
	}
	done := make(chan result, 1)
	go func() {
		lock, err := tryLock(path)
		done <- result{lock, err}
	}()
	select {
	case r := <-done:
		return r.lock, r.err
	case <-time.After(2 * time.Second):
		t.Fatalf("tryLock(%s) waited for a held lock: it must answer at once", path)
		return nil, nil
	}
}
