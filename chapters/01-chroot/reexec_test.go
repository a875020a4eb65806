package chroot_test

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"syscall"
	"testing"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
)

// The entry points of the protocol's tests: an echo, a failure with an
// errno, and an exec. None needs root.
type testOrders struct{ Word string }

func init() {
	chroot.Register("reexec-test-echo", func() {
		var o testOrders
		if err := chroot.Orders(&o); err != nil {
			chroot.Fail(err, 2)
		}
		if err := chroot.Reply(testOrders{Word: strings.ToUpper(o.Word)}); err != nil {
			os.Exit(3)
		}
		os.Exit(0)
	})
	chroot.Register("reexec-test-fail", func() {
		var o testOrders
		if err := chroot.Orders(&o); err != nil {
			chroot.Fail(err, 2)
		}
		_, err := os.Open(o.Word)
		chroot.Fail(fmt.Errorf("open the file: %w", err), 7)
	})
	chroot.Register("reexec-test-exec", func() {
		var o testOrders
		if err := chroot.Orders(&o); err != nil {
			chroot.Fail(err, 2)
		}
		err := syscall.Exec(o.Word, []string{o.Word}, nil)
		chroot.Fail(err, 127)
	})
}

// start starts entry, sends it word, and returns it with its reply.
func start(t *testing.T, entry, word string, result any) (*chroot.Child, bool, error) {
	t.Helper()
	child, err := chroot.Start(chroot.Self(entry))
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Send(testOrders{Word: word}); err != nil {
		t.Fatal(err)
	}
	replied, err := child.Reply(result)
	return child, replied, err
}

func TestReplyCarriesAResult(t *testing.T) {
	var got testOrders
	child, replied, err := start(t, "reexec-test-echo", "hello", &got)
	if werr := child.Cmd.Wait(); werr != nil {
		t.Errorf("the child: %v", werr)
	}
	if err != nil || !replied || got.Word != "HELLO" {
		t.Errorf("Reply = %v, %v, %+v; want the child's answer HELLO", replied, err, got)
	}
}

func TestFailCarriesTheErrorItsErrnoAndCode(t *testing.T) {
	child, replied, err := start(t, "reexec-test-fail", "/no/such/file", nil)
	werr := child.Cmd.Wait()
	var ce *chroot.ChildError
	if replied || !errors.As(err, &ce) {
		t.Fatalf("Reply = %v, %v; want a *ChildError", replied, err)
	}
	if ce.Code != 7 || !strings.Contains(ce.Msg, "open the file: open /no/such/file") {
		t.Errorf("ChildError = %+v, want code 7 and the child's message", ce)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("errors.Is(%v, fs.ErrNotExist) = false: the errno did not cross", err)
	}
	if code := child.Cmd.ProcessState.ExitCode(); werr == nil || code != 7 {
		t.Errorf("the child exited %d (%v), want 7", code, werr)
	}
}

func TestExecClosesTheReplyPipe(t *testing.T) {
	child, replied, err := start(t, "reexec-test-exec", "/bin/true", nil)
	if werr := child.Cmd.Wait(); werr != nil {
		t.Errorf("/bin/true: %v", werr)
	}
	if replied || err != nil {
		t.Errorf("Reply after an exec = %v, %v; want no reply and no error", replied, err)
	}
	// And a failed exec says why.
	child, _, err = start(t, "reexec-test-exec", "/no/such/program", nil)
	child.Cmd.Wait()
	if !errors.Is(err, syscall.ENOENT) {
		t.Errorf("Reply after a failed exec = %v, want ENOENT", err)
	}
}

func TestOrdersOfTheWrongShape(t *testing.T) {
	child, err := chroot.Start(chroot.Self("reexec-test-echo"))
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Send("a word, not a testOrders"); err != nil {
		t.Fatal(err)
	}
	replied, err := child.Reply(nil)
	child.Cmd.Wait()
	var ce *chroot.ChildError
	if replied || !errors.As(err, &ce) || ce.Code != 2 || !strings.Contains(ce.Msg, "read the parent's orders") {
		t.Errorf("Reply = %v, %v; want the child's complaint about its orders, code 2", replied, err)
	}
}
