package main

import (
	"os"

	"github.com/wallyqs/borges/internal/taskenv"
)

// staticSelf is this executable when it is statically linked
// (CGO_ENABLED=0): the local backend mounts it in containers to take
// away HOME, which the runtime gives, without the image's /bin/sh (see
// local.Config.UnsetHelper); "" otherwise.
func staticSelf() string {
	exe, err := os.Executable()
	if err != nil || !taskenv.Static(exe) {
		return ""
	}
	return exe
}
