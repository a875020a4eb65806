package steps

import "github.com/minibox-dev/minibox/internal/workshop"

// Exercises returns the chapter's exercises, in learning order.
func Exercises() []*workshop.Exercise {
	return []*workshop.Exercise{}
}
