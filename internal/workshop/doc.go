// Package workshop is the step engine behind cmd/workshop: steps, the
// tutorial pages they belong to, the learner's progress, and the ways to
// run them (one step, a chapter's tests, the whole demo). It knows no
// chapter: each chapter's steps live beside its code, in
// chapters/NN-name/steps, and package chapters lists them.
//
// One source of truth: a step's code lives in its chapter's steps package,
// and its number, title and text live in its tutorial page, in a section
// headed
//
//	## 1.2 Into the jail
//	<!-- step: chroot.jail -->
//
// Load joins the two and fails when they drift apart. The helpers in
// env.go and helpers.go (a prompt and its output, host commands, quoting,
// listing a directory, removing a tree safely) are for every chapter's
// steps, so that no chapter borrows another's.
package workshop
