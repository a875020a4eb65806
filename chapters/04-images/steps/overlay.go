package steps

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	images "github.com/minibox-dev/minibox/chapters/04-images"
	"github.com/minibox-dev/minibox/internal/workshop"
)

// The overlay of step 4.1 runs as a task, in a private mount namespace.
func init() { images.RegisterTask("workshop-overlay", overlayByHand) }

func runOverlayByHand(e *workshop.Env) error {
	dir := filepath.Join(e.Dir, "overlay")
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	lower := filepath.Join(dir, "lower")
	for name, content := range map[string]string{"motd": "hello\n", "gone": "bye\n", "cache/old": "old\n"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(lower, name)), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(lower, name), []byte(content), 0o644); err != nil {
			return err
		}
	}
	c, err := images.NewContainer(dir)
	if err != nil {
		return err
	}
	before := describeTree(lower)
	e.Say("lower (read-only): %s", strings.Join(before, ", "))
	o := c.Overlay([]string{lower})
	opts, err := o.Options()
	if err != nil {
		return err
	}
	e.Shell("ns#", "mount -t overlay overlay -o "+opts+" merged", "")
	if err := images.RunTask("workshop-overlay", o, nil, e.Out, e.Out); err != nil {
		return err
	}
	upper := describeTree(c.Upper())
	e.Say("after unmounting, upper holds: %s", strings.Join(upper, ", "))
	e.Say("and lower still holds:       %s", strings.Join(describeTree(lower), ", "))
	want := []string{"cache/ (opaque: trusted.overlay.opaque=y)", "cache/new", "gone (whiteout: character device 0:0)", "motd"}
	if strings.Join(upper, "|") != strings.Join(want, "|") {
		return fmt.Errorf("upper holds %v, want %v", upper, want)
	}
	if strings.Join(before, "|") != strings.Join(describeTree(lower), "|") {
		return errors.New("the lower directory changed")
	}
	mounts, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return err
	}
	if strings.Contains(string(mounts), o.Merged) {
		return errors.New("the overlay is in the host's mount table")
	}
	e.Say("the host's mount table never showed the overlay: it lived in a private mount namespace")
	return nil
}

// overlayByHand runs in the task: it mounts, changes and shows the overlay.
func overlayByHand(raw json.RawMessage) (int, error) {
	var o images.Overlay
	if err := json.Unmarshal(raw, &o); err != nil {
		return 0, err
	}
	if err := o.Mount(); err != nil {
		return 0, err
	}
	say := func(prompt, cmd string) { fmt.Printf("  %s %s\n", prompt, cmd) }
	say("ns#", "ls merged")
	fmt.Printf("  %s\n", strings.Join(describeTree(o.Merged), ", "))
	m := func(p string) string { return filepath.Join(o.Merged, p) }
	f, err := os.OpenFile(m("motd"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return 0, err
	}
	_, err = f.WriteString("more\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	say("ns#", "echo more >> merged/motd        # write: copy-up")
	say("ns#", "rm merged/gone                  # delete: whiteout")
	say("ns#", "rm -r merged/cache; mkdir merged/cache; touch merged/cache/new   # opaque")
	if err == nil {
		err = os.Remove(m("gone"))
	}
	if err == nil {
		err = os.RemoveAll(m("cache"))
	}
	if err == nil {
		err = os.Mkdir(m("cache"), 0o755)
	}
	if err == nil {
		err = os.WriteFile(m("cache/new"), nil, 0o644)
	}
	if err != nil {
		return 0, err
	}
	say("ns#", "ls merged")
	fmt.Printf("  %s\n", strings.Join(describeTree(o.Merged), ", "))
	return 0, o.Unmount()
}
