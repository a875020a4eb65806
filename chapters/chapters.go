// Package chapters is the workshop's table of contents: every chapter's
// steps, in order. The workshop command and the tutorial's tests load the
// steps from here and join them with the pages in tutorial/.
//
// Each chapter keeps its steps beside its code, in its steps/ folder. A
// new chapter adds one line below.
package chapters

import (
	setup "github.com/minibox-dev/minibox/chapters/00-setup/steps"
	chroot "github.com/minibox-dev/minibox/chapters/01-chroot/steps"
	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces/steps"
	cgroups "github.com/minibox-dev/minibox/chapters/03-cgroups/steps"
	images "github.com/minibox-dev/minibox/chapters/04-images/steps"
	runtime "github.com/minibox-dev/minibox/chapters/05-runtime/steps"
	security "github.com/minibox-dev/minibox/chapters/06-security/steps"
	network "github.com/minibox-dev/minibox/chapters/07-network/steps"
	"github.com/minibox-dev/minibox/internal/workshop"
)

// Steps lists every chapter's steps, and its exercises for practice mode.
var Steps = []workshop.ChapterSteps{
	{Number: 0, Steps: setup.Steps},
	{Number: 1, Steps: chroot.Steps, Exercises: chroot.Exercises},
	{Number: 2, Steps: namespaces.Steps, Exercises: namespaces.Exercises},
	{Number: 3, Steps: cgroups.Steps, Exercises: cgroups.Exercises},
	{Number: 4, Steps: images.Steps, Exercises: images.Exercises},
	{Number: 5, Steps: runtime.Steps, Exercises: runtime.Exercises},
	{Number: 6, Steps: security.Steps, Exercises: security.Exercises},
	{Number: 7, Steps: network.Steps, Exercises: network.Exercises},
}
