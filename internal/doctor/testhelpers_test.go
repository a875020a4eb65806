package doctor

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// fixtures are the mountinfo and /proc/cgroups of real machines, kept by the
// cgroups chapter, whose layout detection doctor uses.
const fixtures = "../../chapters/03-cgroups/testdata"

// readFixture returns the text of a fixture file.
func readFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// fakeFiles serves file contents from a map, as readText serves them from
// the disk.
func fakeFiles(files map[string]string) func(path string) (string, error) {
	return func(path string) (string, error) {
		text, ok := files[path]
		if !ok {
			return "", &fs.PathError{Op: "open", Path: path, Err: fs.ErrNotExist}
		}
		return text, nil
	}
}
