// Package tutorial embeds the workshop's tutorial pages, so that `workshop
// show` can print a step's text and the tests can run every command a page
// shows. The pages are the source of truth for step titles and text.
package tutorial

import "embed"

// Pages holds every page: 00-setup.md, 01-chroot.md, ...
//
//go:embed *.md
var Pages embed.FS
