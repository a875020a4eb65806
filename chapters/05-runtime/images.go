package runtime

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"

	cgroups "github.com/minibox-dev/minibox/chapters/03-cgroups"
	images "github.com/minibox-dev/minibox/chapters/04-images"
	"golang.org/x/sys/unix"
)

// RemoveImage untags image ref and collects what no image needs any more.
// It refuses while a container, running or not, was made from the image:
// the container's overlay stands on the image's unpacked layers.
func RemoveImage(p Paths, ref string) (images.GCResult, error) {
	store, err := OpenImages(p)
	if err != nil {
		return images.GCResult{}, err
	}
	img, err := Image(store, ref)
	if err != nil {
		return images.GCResult{}, err
	}
	all, err := List(p)
	if err == nil {
		err = checkNoDamaged(all)
	}
	if err != nil {
		return images.GCResult{}, err
	}
	var users []string
	for _, s := range all {
		if s.Image == string(img.Digest) {
			users = append(users, s.Name)
		}
	}
	switch len(users) {
	case 0:
	case 1:
		return images.GCResult{}, fmt.Errorf("image %s is used by container %s: remove it first (`minibox rm -f %s`)", ref, users[0], users[0])
	default:
		return images.GCResult{}, fmt.Errorf("image %s is used by containers %s: remove them first (`minibox rm -f %s`)", ref, strings.Join(users, ", "), strings.Join(users, " "))
	}
	return store.Remove(ref)
}

// containerImage returns container s's image and its unpacked layers.
func containerImage(p Paths, s *State) (*images.Store, *images.Image, []string, error) {
	store, err := OpenImages(p)
	if err != nil {
		return nil, nil, nil, err
	}
	img, err := store.Image(s.Image)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("container %s: its image: %w", s.Name, err)
	}
	lowers, err := store.Unpack(img, s.Config.idShift()...)
	return store, img, lowers, err
}

// Commit makes container ref's changes the top layer of a new image named
// newRef. A running container is frozen meanwhile, as docker commit
// pauses it: it would change its files under the walk.
func Commit(p Paths, ref, newRef string) (*images.Image, error) {
	s, err := Find(p, ref)
	if err != nil {
		return nil, err
	}
	if s.Status == Running && supervised(p, s) {
		thaw, err := freeze(s)
		if err != nil {
			return nil, err
		}
		defer thaw()
	}
	return commitContainer(p, s, newRef)
}

// commitContainer makes container s's changes (its overlay's upper
// directory) the top layer of a new image named newRef, on the
// container's image: the container as a running image, turned back into
// an image.
//
//workshop:exercise rt.commit
func commitContainer(p Paths, s *State, newRef string) (*images.Image, error) {
	store, img, _, err := containerImage(p, s)
	if err != nil {
		return nil, err
	}
	ov := overlayOf(p, s.ID, nil)
	return store.Commit(img, ov.Upper, newRef, "minibox commit "+s.Name+" ("+strings.Join(s.Config.Args, " ")+")", s.Config.idShift()...)
}

// freeze freezes running container s's cgroup, and returns what thaws it.
// Until then, the signals that end a commit (Ctrl-C, a kill, a hangup)
// thaw the container before minibox goes; a SIGKILL cannot be caught, and
// `minibox kill -s KILL` and `rm -f` thaw it instead.
func freeze(s *State) (thaw func(), err error) {
	cg, err := cgroups.Open(s.Cgroup)
	if err != nil {
		return nil, fmt.Errorf("freeze container %s for the commit: %w", s.Name, err)
	}
	ending := make(chan os.Signal, 1)
	signal.Notify(ending, unix.SIGINT, unix.SIGTERM, unix.SIGHUP)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-ending:
			thawQuietly(s)
			fmt.Fprintf(os.Stderr, "minibox: commit of %s stopped by %v; the container runs again\n", s.Name, sig)
			os.Exit(128 + int(sig.(unix.Signal)))
		case <-done:
		}
	}()
	stop := func() {
		signal.Stop(ending)
		close(done)
	}
	if err := cgroups.Freeze(cg); err != nil {
		stop()
		return nil, fmt.Errorf("freeze container %s for the commit: %w", s.Name, err)
	}
	return func() {
		defer stop()
		if err := cgroups.Thaw(cg); err != nil {
			fmt.Fprintf(os.Stderr, "minibox: thaw container %s after the commit: %v\n", s.Name, err)
		}
	}, nil
}

// thawQuietly thaws container s if it is frozen, and says nothing if it
// cannot: it is for paths that are leaving anyway.
func thawQuietly(s *State) {
	if cg, err := cgroups.Open(s.Cgroup); err == nil {
		cgroups.Thaw(cg)
	}
}

// Diff lists what container ref changed in its image: A added, C changed,
// D deleted, as docker diff does.
func Diff(p Paths, ref string) ([]images.Change, error) {
	s, err := Find(p, ref)
	if err != nil {
		return nil, err
	}
	_, _, lowers, err := containerImage(p, s)
	if err != nil {
		return nil, err
	}
	return images.Changes(overlayOf(p, s.ID, nil).Upper, lowers)
}

// OpenImages opens the image store. The base image busybox:latest is made
// on first use from the host's static busybox, so `minibox run busybox`
// works on a fresh machine, with no network.
func OpenImages(p Paths) (*images.Store, error) {
	return images.OpenStore(p.Images())
}

// FindImage finds ref in the store, importing busybox:latest if that is
// what is asked for and it is not there yet.
func FindImage(store *images.Store, ref string) (*images.Image, error) {
	if images.NormalizeRef(ref) == images.DefaultBase {
		if _, err := store.Image(ref); errors.Is(err, images.ErrNoImage) {
			return store.ImportBusybox()
		}
	}
	return Image(store, ref)
}

// Image finds ref in the store, and says how to see and add images when it
// is not there.
func Image(store *images.Store, ref string) (*images.Image, error) {
	img, err := store.Image(ref)
	if errors.Is(err, images.ErrNoImage) {
		return nil, fmt.Errorf("no such image %q: `minibox images` lists them; `minibox import DIR NAME` adds one", ref)
	}
	return img, err
}
