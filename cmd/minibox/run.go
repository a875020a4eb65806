package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	cgroups "github.com/minibox-dev/minibox/chapters/03-cgroups"
	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
	security "github.com/minibox-dev/minibox/chapters/06-security"
	// Chapter 7 also registers the network "bridge" with the runtime.
	network "github.com/minibox-dev/minibox/chapters/07-network"
	"github.com/urfave/cli/v2"
)

var runCommand = &cli.Command{
	Name:      "run",
	Usage:     "run a command in a new container",
	ArgsUsage: "IMAGE [COMMAND [ARG...]]",
	Flags: []cli.Flag{
		&cli.BoolFlag{Name: "detach", Aliases: []string{"d"}, Usage: "run in the background and print the container's ID"},
		&cli.BoolFlag{Name: "rm", Usage: "remove the container when it exits"},
		&cli.StringFlag{Name: "name", Usage: "name the container"},
		&cli.StringFlag{Name: "memory", Aliases: []string{"m"}, Usage: "memory limit, e.g. 64m"},
		&cli.Int64Flag{Name: "pids-limit", Usage: "most processes and threads at once"},
		&cli.StringFlag{Name: "cpus", Usage: "CPU limit, e.g. 0.5 for half of one CPU"},
		&cli.StringSliceFlag{Name: "env", Aliases: []string{"e"}, Usage: "set a variable, KEY=value"},
		&cli.StringFlag{Name: "workdir", Aliases: []string{"w"}, Usage: "working directory inside"},
		&cli.StringFlag{Name: "hostname", Usage: "the container's hostname (default: its short ID)"},
		&cli.BoolFlag{Name: "tty", Aliases: []string{"t"}, Usage: "give the command a terminal"},
		&cli.BoolFlag{Name: "interactive", Aliases: []string{"i"}, Usage: "accepted for docker's -it: stdin is always connected in the foreground"},
		&cli.StringSliceFlag{Name: "log-opt", Usage: "a detached container's log: max-size=10m (rotated past it), max-file=3 (files kept)"},
		&cli.StringSliceFlag{Name: "cap-add", Usage: "keep a capability the default set lacks, e.g. NET_ADMIN, or ALL"},
		&cli.StringSliceFlag{Name: "cap-drop", Usage: "drop a capability of the default set, e.g. NET_RAW, or ALL"},
		&cli.BoolFlag{Name: "privileged", Usage: "every capability, no seccomp filter, nothing masked: the container can take the host"},
		&cli.StringSliceFlag{Name: "security-opt", Usage: "seccomp=unconfined, or no-new-privileges=true|false"},
		&cli.StringSliceFlag{Name: "device", Usage: "give the container a device of the host: HOST[:CONTAINER[:PERMISSIONS]], e.g. /dev/fuse"},
		&cli.StringFlag{Name: "userns", Usage: "remap: a user namespace, root inside is uid 100000 outside; host: the host's IDs (the default)"},
		&cli.StringFlag{Name: "network", Aliases: []string{"net"}, Value: runtime.NoNetwork, Usage: "none: lo alone; bridge: a veth on the bridge minibox0 and an address from 10.88.0.0/16 (chapter 7)"},
		&cli.StringSliceFlag{Name: "publish", Aliases: []string{"p"}, Usage: "publish a port: [IP:][HOST:]CONTAINER[/tcp|udp], e.g. 8080:80 (with --network bridge)"},
	},
	Action: func(c *cli.Context) error {
		if err := args(c, 1, -1); err != nil {
			return err
		}
		opt, err := runOptions(c)
		if err != nil {
			return err
		}
		s, code, err := runtime.Run(runtime.DefaultPaths(), opt)
		if err != nil {
			return err
		}
		if opt.Detach {
			fmt.Println(s.ID)
			return nil
		}
		if code != 0 {
			os.Exit(code) // the command's own exit code, as docker run
		}
		return nil
	},
}

func runOptions(c *cli.Context) (runtime.Options, error) {
	opt := runtime.Options{Name: c.String("name")}
	opt.Image = c.Args().First()
	opt.Args = c.Args().Tail()
	opt.Detach, opt.Remove, opt.Terminal = c.Bool("detach"), c.Bool("rm"), c.Bool("tty")
	opt.Env, opt.WorkingDir, opt.Hostname = c.StringSlice("env"), c.String("workdir"), c.String("hostname")
	opt.Network = c.String("network")
	for _, spec := range c.StringSlice("publish") {
		m, err := network.ParsePublish(spec)
		if err != nil {
			return opt, usageError("%v", err)
		}
		opt.Ports = append(opt.Ports, m)
	}
	if m := c.String("memory"); m != "" {
		n, err := cgroups.ParseSize(m)
		if err != nil {
			return opt, usageError("--memory: %v", err)
		}
		opt.Memory = n
	}
	if n := c.Int64("pids-limit"); n < 0 {
		return opt, usageError("--pids-limit %d: must not be negative (0 means no limit)", n)
	} else {
		opt.Pids = n
	}
	if s := c.String("cpus"); s != "" {
		n, err := cgroups.ParseCPUs(s)
		if err != nil {
			return opt, usageError("--cpus: %v", err)
		}
		opt.CPUs = n
	}
	if err := logOptions(c.StringSlice("log-opt"), &opt.Config); err != nil {
		return opt, usageError("%v", err)
	}
	userNS, err := security.ParseUserNS(c.String("userns"))
	if err != nil {
		return opt, usageError("%v", err)
	}
	opt.UserNS = userNS
	profile, err := security.FromOptions(security.Options{
		Privileged: c.Bool("privileged"), CapAdd: c.StringSlice("cap-add"), CapDrop: c.StringSlice("cap-drop"),
		SecurityOpts: c.StringSlice("security-opt"), Devices: c.StringSlice("device"), UserNS: userNS,
	})
	if err != nil {
		return opt, usageError("%v", err)
	}
	if opt.Confine, err = profile.Confinement(); err != nil {
		return opt, usageError("%v", err)
	}
	limits := cgroups.Limits{Memory: opt.Memory, Pids: opt.Pids, CPUs: opt.CPUs}
	if err := limits.Validate(); err != nil {
		return opt, usageError("%v", err)
	}
	return opt, nil
}

// logOptions reads --log-opt KEY=VALUE as docker's json-file driver does.
func logOptions(opts []string, cfg *runtime.Config) error {
	for _, o := range opts {
		key, value, _ := strings.Cut(o, "=")
		switch key {
		case "max-size":
			n, err := cgroups.ParseSize(value)
			if err != nil || n < 1 {
				return fmt.Errorf("--log-opt %s: want a size, like max-size=10m", o)
			}
			cfg.LogMaxSize = n
		case "max-file":
			n, err := strconv.Atoi(value)
			if err != nil || n < 1 {
				return fmt.Errorf("--log-opt %s: want a number of files, 1 or more, like max-file=3", o)
			}
			cfg.LogMaxFiles = n
		default:
			return fmt.Errorf("--log-opt %s: minibox knows max-size=SIZE and max-file=N", o)
		}
	}
	return nil
}
