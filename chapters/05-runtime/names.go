package runtime

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"strings"
)

// NewID returns 32 random bytes in hex: a container's identity.
func NewID() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

var (
	adjectives = []string{"brave", "calm", "eager", "fond", "gentle", "happy", "jolly", "keen", "lucid", "merry", "nimble", "proud", "quiet", "sharp", "tidy", "witty"}
	scientists = []string{"babbage", "curie", "dijkstra", "euler", "hopper", "knuth", "lamport", "liskov", "lovelace", "noether", "ritchie", "shannon", "thompson", "torvalds", "turing", "wozniak"}
)

// RandomName returns a name like docker's: adjective_scientist.
func RandomName() (string, error) {
	pick := func(words []string) (string, error) {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(words))))
		if err != nil {
			return "", err
		}
		return words[n.Int64()], nil
	}
	a, err := pick(adjectives)
	if err != nil {
		return "", err
	}
	s, err := pick(scientists)
	return a + "_" + s, err
}

var nameRe = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$`)

// CheckName returns an error unless name can name a container.
func CheckName(name string) error {
	if !nameRe.MatchString(name) {
		return fmt.Errorf("invalid container name %q: use letters, digits, _ . and -, starting with a letter or digit, at most 63 characters", name)
	}
	return nil
}

// ErrNoSuchContainer is in the error of a name or ID that matches nothing.
var ErrNoSuchContainer = errors.New("no such container")

// Find returns the container named ref, or whose ID is ref or starts with
// it, as docker does: names first, then IDs.
func Find(p Paths, ref string) (*State, error) {
	all, err := List(p)
	if err != nil {
		return nil, err
	}
	return find(all, ref)
}

// find finds ref in the records all, as Find does: a name or a whole ID
// first, then the one ID that starts with ref. A prefix that two IDs share
// is an error, never a guess: the wrong container would be stopped.
//
//workshop:exercise rt.find
func find(all []*State, ref string) (*State, error) {
	if ref == "" {
		return nil, fmt.Errorf("%w: empty name", ErrNoSuchContainer)
	}
	for _, s := range all {
		if s.Name == ref || s.ID == ref {
			return s, nil
		}
	}
	var match []*State
	for _, s := range all {
		if strings.HasPrefix(s.ID, ref) {
			match = append(match, s)
		}
	}
	switch len(match) {
	case 1:
		return match[0], nil
	case 0:
		return nil, fmt.Errorf("%w: %s (`minibox ps -a` lists them)", ErrNoSuchContainer, ref)
	default:
		return nil, fmt.Errorf("%s matches %d containers: give more of the ID", ref, len(match))
	}
}
