package steps

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
	chrootsteps "github.com/minibox-dev/minibox/chapters/01-chroot/steps"
	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
	rtsteps "github.com/minibox-dev/minibox/chapters/05-runtime/steps"
	security "github.com/minibox-dev/minibox/chapters/06-security"
	"github.com/minibox-dev/minibox/internal/workshop"
	"golang.org/x/sys/unix"
)

// The attack lab runs every attack twice: in chapter 1's jail (with /proc,
// /sys and /dev mounted inside it, as chroot setups have them), and in a
// default minibox container. Each attack is the probe (chapter 6's
// probe.go), in its harmless form. The probe is the minibox binary
// itself, copied into the jail and into an image, minibox-lab, made of
// busybox and it.

// labImage is the image of the lab's containers.
const labImage = "minibox-lab:latest"

// leakedFD is where the lab leaves a host directory open, as a careless
// caller would: the "leaked-fd" attack looks for it.
const leakedFD = 7

// labAttack is one line of the lab.
type labAttack struct {
	what  string   // what it tries, for the table
	probe []string // the probe's arguments; {{root}} and {{canary}} filled in
	flags []string // minibox run's, beside the defaults: the limit a hog meets
	tty   bool     // stdin is a terminal the lab made
	// chrooted: the kernel itself refuses it to a process in a chroot (a
	// user namespace: man 2 unshare, EPERM); step 6.3 shows it work.
	chrooted bool
}

var attacks = []labAttack{
	{what: "break out of the root (chapter 1's escape)", probe: []string{"chroot-escape", "{{root}}"}},
	{what: "open /proc/sys/kernel/core_pattern for writing", probe: []string{"open-write", "/proc/sys/kernel/core_pattern"}},
	{what: "open /sys/kernel/mm/transparent_hugepage/enabled for writing", probe: []string{"open-write", "/sys/kernel/mm/transparent_hugepage/enabled"}},
	{what: "mount a filesystem", probe: []string{"mount"}},
	{what: "make a device file for the kernel's log, and open it", probe: []string{"mknod-open", "/tmp/.lab-kmsg"}},
	{what: "read the kernel's keyring (/proc/keys)", probe: []string{"read", "/proc/keys"}},
	{what: "read the kernel's timers (/proc/timer_list)", probe: []string{"read", "/proc/timer_list"}},
	{what: "use the session keyring (keyctl)", probe: []string{"keyctl"}},
	{what: "load a kernel to boot (kexec_load)", probe: []string{"kexec_load"}},
	{what: "load a kernel module (init_module)", probe: []string{"init_module"}},
	{what: "set the clock (clock_adjtime)", probe: []string{"clock_adjtime"}},
	{what: "make a user namespace, root in it", probe: []string{"new-userns"}, chrooted: true},
	{what: "open a cgroup v1 release_agent for writing", probe: []string{"release-agent", "/tmp/.lab-cgroup"}},
	{what: "signal a process of the host (the lab's canary)", probe: []string{"signal", "{{canary}}"}},
	{what: "trace a process of the host (open its /proc/PID/mem)", probe: []string{"ptrace", "{{canary}}"}},
	{what: "open the binary that started it (/proc/PPID/exe)", probe: []string{"host-binary"}},
	{what: "type into the terminal it was given (TIOCSTI)", probe: []string{"tiocsti"}, tty: true},
	{what: "use a host directory left open as fd 7", probe: []string{"leaked-fd", "7"}},
	{what: "start 100 processes (under --pids-limit 50)", probe: []string{"fork-bomb", "100"}, flags: []string{"--pids-limit", "50"}},
	{what: "use 256 MiB of memory (under -m 64m)", probe: []string{"memory-hog", "256"}, flags: []string{"-m", "64m"}},
}

// labEnv is what the attacks need: the canary to signal, the host's root,
// the jail, the file left open.
type labEnv struct {
	minibox  string
	jail     string
	canary   *exec.Cmd
	hostRoot string
	leaked   *os.File
}

func runLab(e *workshop.Env) error {
	l, err := setUpLab(e)
	if err != nil {
		return err
	}
	defer l.close()
	if err := l.startTarget(); err != nil {
		return err
	}
	var table strings.Builder
	fmt.Fprintf(&table, "%-62s %-8s %-8s %s\n", "ATTACK", "JAIL", "EXEC", "RUN")
	var problems []string
	shown := 0
	for _, a := range attacks {
		jail, err := l.inJail(a)
		if err != nil {
			return err
		}
		box, err := l.inMinibox(a)
		if err != nil {
			return err
		}
		exe, err := l.inExec(a)
		if err != nil {
			return err
		}
		absent := strings.HasPrefix(jail, "absent")
		switch {
		case a.chrooted && strings.HasPrefix(jail, "refused"):
			jail = "refused (the kernel refuses it to a chrooted process; 6.3 shows it work)"
		case strings.HasPrefix(jail, "allowed"):
			shown++
		case !absent:
			problems = append(problems, fmt.Sprintf("%s: works not even in the jail: %s", a.what, jail))
		}
		fmt.Fprintf(&table, "%-62s %-8s %-8s %s\n", a.what, word(jail), word(exe), box)
		for _, v := range []struct{ how, verdict string }{{"minibox run", box}, {"minibox exec", exe}} {
			if !strings.HasPrefix(v.verdict, "refused") && !(absent && strings.HasPrefix(v.verdict, "absent")) {
				problems = append(problems, fmt.Sprintf("%s: %s did not stop it: %s", a.what, v.how, v.verdict))
			}
		}
	}
	e.Shell("host#", "attack lab: each attack in chapter 1's jail, then through minibox exec and minibox run", table.String())
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "\n"))
	}
	if shown < len(attacks)-4 {
		return fmt.Errorf("only %d of %d attacks worked in the jail: the lab shows too little on this kernel", shown, len(attacks))
	}
	return nil
}

// word is the first word of a verdict, for the jail's column.
func word(verdict string) string {
	w, _, _ := strings.Cut(verdict, " ")
	return w
}

func setUpLab(e *workshop.Env) (*labEnv, error) {
	bin, err := rtsteps.MiniboxBin()
	if err != nil {
		return nil, err
	}
	if err := chroot.CheckStatic(bin); err != nil {
		return nil, fmt.Errorf("the lab copies minibox into a busybox image, which has no C library: build it static, with make build (CGO_ENABLED=0): %w", err)
	}
	l := &labEnv{minibox: bin}
	if err := l.makeImage(); err != nil {
		return nil, err
	}
	base, err := chrootsteps.Rootfs(e)
	if err != nil {
		return nil, err
	}
	l.jail = filepath.Join(e.Dir, "lab-jail")
	if err := workshop.RemoveTree(l.jail); err != nil {
		return nil, err
	}
	if out, err := exec.Command("cp", "-a", base, l.jail).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("copy the userland for the jail: %v: %s", err, out)
	}
	if err := copyFile(bin, filepath.Join(l.jail, "bin", security.ProbeEntry)); err != nil {
		return nil, err
	}
	root, err := chroot.StatID("/")
	if err != nil {
		return nil, err
	}
	l.hostRoot = fmt.Sprintf("%d:%d", root.Dev, root.Ino)
	if l.leaked, err = os.Open("/"); err != nil {
		return nil, err
	}
	l.canary = exec.Command("sleep", "600")
	// Should the lab die, its canary goes with it.
	l.canary.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: unix.SIGKILL}
	if err := l.canary.Start(); err != nil {
		l.close()
		return nil, err
	}
	return l, nil
}

func (l *labEnv) close() {
	exec.Command(l.minibox, "rm", "-f", labTarget).Run()
	if l.canary != nil && l.canary.Process != nil {
		l.canary.Process.Kill() // the canary this lab started, by its PID
		l.canary.Wait()
	}
	if l.leaked != nil {
		l.leaked.Close()
	}
	workshop.RemoveTree(l.jail)
}

// makeImage makes minibox-lab: busybox with the probe as a layer on top.
func (l *labEnv) makeImage() error {
	layer, err := os.MkdirTemp("", "minibox-lab-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(layer)
	if err := copyFile(l.minibox, filepath.Join(layer, "bin", security.ProbeEntry)); err != nil {
		return err
	}
	p := runtime.DefaultPaths()
	store, err := runtime.OpenImages(p)
	if err != nil {
		return err
	}
	base, err := runtime.FindImage(store, "busybox")
	if err != nil {
		return err
	}
	_, err = store.Commit(base, layer, labImage, "attack lab: COPY minibox /bin/"+security.ProbeEntry)
	return err
}

// args fills in the probe's placeholders.
func (l *labEnv) args(a labAttack) []string {
	out := []string{security.ProbeEntry}
	for _, arg := range a.probe {
		arg = strings.ReplaceAll(arg, "{{root}}", l.hostRoot)
		arg = strings.ReplaceAll(arg, "{{canary}}", fmt.Sprint(l.canary.Process.Pid))
		out = append(out, arg)
	}
	return out
}

// labJailEntry is the jail's first process: in a mount namespace of its
// own, so that the /proc and /sys it mounts in the jail vanish with it.
const labJailEntry = "minibox-lab-jail"

func init() { chroot.Register(labJailEntry, labJailMain) }

// inJail runs the attack in the jail and returns its verdict.
func (l *labEnv) inJail(a labAttack) (string, error) {
	cmd := chroot.Self(labJailEntry, append([]string{l.jail}, l.args(a)...)...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Unshareflags: unix.CLONE_NEWNS}
	return l.verdict(a, cmd)
}

// labJailMain mounts /proc and the host's /sys and /dev in the jail at
// os.Args[1] (a Go program needs /dev/null to start another),
// chroots into it, and executes the probe, os.Args[2:].
func labJailMain() {
	root, argv := os.Args[1], os.Args[2:]
	err := namespaces.MakeMountsPrivate()
	if err == nil {
		err = unix.Mount("proc", filepath.Join(root, "proc"), "proc", 0, "")
	}
	for _, dir := range []string{"/sys", "/dev"} {
		if err == nil {
			err = unix.Mount(dir, filepath.Join(root, dir), "", unix.MS_BIND|unix.MS_REC, "")
		}
	}
	if err == nil {
		err = unix.Chroot(root)
	}
	if err == nil {
		err = unix.Chdir("/")
	}
	if err == nil {
		err = unix.Exec("/bin/"+security.ProbeEntry, argv, []string{"PATH=" + chroot.Path, "HOME=/root"})
	}
	fmt.Fprintln(os.Stderr, "lab jail:", err)
	os.Exit(1)
}

// labTarget is the container the attacks through `minibox exec` go into,
// with the limits the hogs meet.
const labTarget = "minibox-lab-target"

// startTarget starts labTarget, detached.
func (l *labEnv) startTarget() error {
	exec.Command(l.minibox, "rm", "-f", labTarget).Run() // a lab that was killed left it
	out, err := exec.Command(l.minibox, "run", "-d", "--name", labTarget, "--pids-limit", "50", "-m", "64m", labImage, "sleep", "600").CombinedOutput()
	if err != nil {
		return fmt.Errorf("start the lab's container: %v: %s", err, out)
	}
	return nil
}

// inExec runs the attack with `minibox exec` in labTarget.
func (l *labEnv) inExec(a labAttack) (string, error) {
	cmd := exec.Command(l.minibox, append([]string{"exec", labTarget}, l.args(a)...)...)
	return l.verdict(a, cmd)
}

// inMinibox runs the attack in `minibox run --rm` and returns its verdict.
func (l *labEnv) inMinibox(a labAttack) (string, error) {
	args := append(append([]string{"run", "--rm"}, a.flags...), labImage)
	cmd := exec.Command(l.minibox, append(args, l.args(a)...)...)
	return l.verdict(a, cmd)
}

// verdict runs cmd with the file left open as fd 7 and, for an attack on
// the terminal, a terminal made for it as stdin; the probe's line, or what
// killed it.
func (l *labEnv) verdict(a labAttack, cmd *exec.Cmd) (string, error) {
	cmd.ExtraFiles = make([]*os.File, leakedFD-2)
	cmd.ExtraFiles[leakedFD-3] = l.leaked
	if a.tty {
		master, slave, err := runtime.OpenPty()
		if err != nil {
			return "", err
		}
		defer master.Close()
		defer slave.Close()
		cmd.Stdin = slave
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit) && exit.ExitCode() == 128+int(unix.SIGKILL) && a.probe[0] == "memory-hog":
		// The hog cannot say it was stopped: the OOM killer's SIGKILL is
		// its verdict. Any other probe killed is an error below.
		return "refused (killed: out of memory)", nil
	case err != nil && !errors.As(err, &exit):
		return "", err
	}
	for _, line := range strings.Split(out.String(), "\n") {
		if v, ok := strings.CutPrefix(line, a.probe[0]+": "); ok {
			return v, nil
		}
	}
	return "", fmt.Errorf("%s: no verdict from the probe: %v: %s", a.what, err, out.String())
}

// copyFile copies the file from into a new file to, with the directories
// above it, executable.
func copyFile(from, to string) error {
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	return chroot.CopyFile(from, to, 0o755)
}
