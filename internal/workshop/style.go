package workshop

import (
	"os"

	"golang.org/x/sys/unix"
)

// Style colours output for a terminal, and does nothing otherwise.
type Style struct{ Color bool }

// StyleFor returns the style for output on f: colour only on a terminal,
// and never when NO_COLOR is set (https://no-color.org) or TERM=dumb.
func StyleFor(f *os.File) Style {
	return Style{Color: IsTerminal(f) && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"}
}

// IsTerminal reports whether f is a terminal: the TCGETS ioctl only
// succeeds on one.
func IsTerminal(f *os.File) bool {
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	return err == nil
}

func (s Style) wrap(code, text string) string {
	if !s.Color {
		return text
	}
	return "\x1b[" + code + "m" + text + "\x1b[0m"
}

func (s Style) Bold(t string) string   { return s.wrap("1", t) }
func (s Style) Dim(t string) string    { return s.wrap("2", t) }
func (s Style) Green(t string) string  { return s.wrap("32", t) }
func (s Style) Red(t string) string    { return s.wrap("31", t) }
func (s Style) Yellow(t string) string { return s.wrap("33", t) }
func (s Style) Cyan(t string) string   { return s.wrap("36", t) }
func (s Style) Prompt(t string) string { return s.wrap("1;34", t) }
