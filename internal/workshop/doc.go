// Package workshop is the step runner behind cmd/workshop: the steps of every
// chapter, the tutorial pages they belong to, the learner's progress, and
// the ways to run them (one step, a chapter's tests, the whole demo).
//
// One source of truth: a step's code lives here (steps_*.go) and its number,
// title and text live in its tutorial page, in a section headed
//
//	## 1.2 Into the jail
//	<!-- step: chroot.jail -->
//
// Load joins the two and fails when they drift apart.
package workshop
