package doctor

import (
	"fmt"
	"os"
	"strings"
)

// namespaceConfig maps each namespace the chapters create to the kernel
// option that provides it, for the fix. Mount namespaces have no option of
// their own (every kernel since 2.4.19 has them; their /proc/self/ns entry
// came in 3.8) and cgroup namespaces come with CONFIG_CGROUPS.
var namespaceConfig = []struct{ name, config string }{
	{"cgroup", "CONFIG_CGROUPS"},
	{"ipc", "CONFIG_IPC_NS"},
	{"mnt", ""},
	{"net", "CONFIG_NET_NS"},
	{"pid", "CONFIG_PID_NS"},
	{"user", "CONFIG_USER_NS"},
	{"uts", "CONFIG_UTS_NS"},
}

func checkNamespaces() Check {
	entries, err := os.ReadDir("/proc/self/ns")
	if err != nil {
		return Check{Name: nameNamespaces, Status: Fail,
			Detail: fmt.Sprintf("cannot list the namespaces: %v", err),
			Fix:    "mount /proc: sudo mount -t proc proc /proc"}
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return namespacesCheck(names)
}

// namespacesCheck judges the entries of /proc/self/ns. The time namespace
// (Linux 5.6) is reported but not required: no chapter creates one.
func namespacesCheck(entries []string) Check {
	have := make(map[string]bool, len(entries))
	for _, e := range entries {
		have[e] = true
	}
	var found, missing, configs []string
	for _, ns := range namespaceConfig {
		if !have[ns.name] {
			missing = append(missing, ns.name)
			if ns.config != "" {
				configs = append(configs, ns.config+"=y")
			}
			continue
		}
		found = append(found, ns.name)
	}
	timeNote := "time: yes"
	if !have["time"] {
		timeNote = "time: no (Linux 5.6+, not needed)"
	}
	c := Check{Name: nameNamespaces}
	if len(missing) == 0 {
		c.Status = OK
		c.Detail = strings.Join(found, " ") + "; " + timeNote
		return c
	}
	c.Status = Fail
	c.Detail = "missing: " + strings.Join(missing, " ") + "; present: " + strings.Join(found, " ") + "; " + timeNote
	c.Fix = "boot a kernel built with CONFIG_NAMESPACES=y"
	if len(configs) > 0 {
		c.Fix += " " + strings.Join(configs, " ")
	}
	if !have["mnt"] {
		c.Fix += " (a kernel 3.8 or newer shows mnt in /proc/self/ns)"
	}
	c.Fix += ", e.g. the workshop VM: vagrant up"
	return c
}
