package doctor

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"strings"
)

// What chapter 7's networking needs, read and never changed: the ip and
// nft commands, and no route or interface of the machine's own that
// clashes with minibox's bridge, minibox0 on 10.88.0.0/16. IP forwarding
// is only reported: minibox turns it on with the first container on the
// bridge, as Docker does.

const (
	bridgeName = "minibox0"
	procRoute  = "/proc/net/route"
)

var bridgeSubnet = netip.MustParsePrefix("10.88.0.0/16")

// networkFacts is what checkNetwork found.
type networkFacts struct {
	noIP, noNft   bool
	forwarding    string // "0", "1", or "" if unread
	routes        string // /proc/net/route
	bridgeIsOther bool   // a minibox0 exists and is not a bridge
}

func checkNetwork() Check {
	var f networkFacts
	_, err := exec.LookPath("ip")
	f.noIP = err != nil
	_, err = exec.LookPath("nft")
	f.noNft = err != nil
	f.forwarding, _ = readText("/proc/sys/net/ipv4/ip_forward")
	f.forwarding = strings.TrimSpace(f.forwarding)
	f.routes, _ = readText(procRoute)
	if _, err := os.Stat("/sys/class/net/" + bridgeName); err == nil {
		_, err := os.Stat("/sys/class/net/" + bridgeName + "/bridge")
		f.bridgeIsOther = err != nil
	}
	return networkCheck(f)
}

// networkCheck judges the facts: each problem a warning, since only
// chapter 7 needs them.
func networkCheck(f networkFacts) Check {
	var details, fixes []string
	if f.noIP {
		details = append(details, "no ip command: chapter 7's steps show their namespaces with it")
		fixes = append(fixes, "sudo apt-get install iproute2")
	}
	if f.noNft {
		details = append(details, "no nft command: minibox run --network bridge loads its NAT rules with it")
		fixes = append(fixes, "sudo apt-get install nftables")
	}
	if f.bridgeIsOther {
		details = append(details, bridgeName+" exists and is not a bridge: minibox's network cannot be made")
		fixes = append(fixes, "sudo ip link delete "+bridgeName+" (if nothing of yours needs it)")
	}
	for _, r := range clashingRoutes(f.routes) {
		details = append(details, fmt.Sprintf("a route to %s on %s overlaps minibox's %s: containers could not reach those addresses", r.dest, r.iface, bridgeSubnet))
		fixes = append(fixes, "move that network elsewhere, or keep minibox's containers off it (--network none)")
	}
	if len(details) > 0 {
		return Check{Name: nameNetwork, Status: Warn, Detail: strings.Join(details, "; "), Fix: strings.Join(fixes, "; ")}
	}
	forwarding := "IP forwarding off: minibox turns it on with the first container on the bridge"
	if f.forwarding == "1" {
		forwarding = "IP forwarding on"
	}
	return Check{Name: nameNetwork, Status: OK, Detail: "ip and nft present, nothing clashes with " + bridgeName + " on " + bridgeSubnet.String() + "; " + forwarding}
}

type route struct {
	iface string
	dest  netip.Prefix
}

// clashingRoutes reads /proc/net/route (addresses in hex, in the host's
// byte order: little-endian on amd64 and arm64) and returns the routes,
// other than the default and minibox0's own, that overlap the subnet.
func clashingRoutes(table string) []route {
	var clash []route
	for _, line := range strings.Split(table, "\n")[1:] {
		f := strings.Fields(line)
		if len(f) < 8 || f[0] == bridgeName {
			continue
		}
		dest, err1 := hexAddr(f[1])
		mask, err2 := hexAddr(f[7])
		if err1 != nil || err2 != nil {
			continue
		}
		bits := 0
		for _, b := range mask.AsSlice() {
			for ; b != 0; b <<= 1 {
				bits++
			}
		}
		p := netip.PrefixFrom(dest, bits)
		if bits > 0 && p.Overlaps(bridgeSubnet) {
			clash = append(clash, route{iface: f[0], dest: p})
		}
	}
	return clash
}

func hexAddr(s string) (netip.Addr, error) {
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 4 {
		return netip.Addr{}, fmt.Errorf("not an address: %q", s)
	}
	var a [4]byte
	binary.BigEndian.PutUint32(a[:], binary.LittleEndian.Uint32(b))
	return netip.AddrFrom4(a), nil
}
