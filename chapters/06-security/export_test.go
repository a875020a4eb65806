package security

// SwitchedOff lets the tests make the probe's word for a call the machine
// has switched off.
type SwitchedOff = switchedOff
