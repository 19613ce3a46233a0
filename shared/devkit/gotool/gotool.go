// Package gotool installs a command the tests run (the Lambda Runtime
// Interface Emulator, Mailpit) from the Go module proxy, once, into
// root/.local/bin under a name with its version, so that a new version is
// a new install and the test binaries of several packages running at once
// install it once between them.
package gotool

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// Install returns root/.local/bin/<name>-<version>, go-installing
// module@version there first if it is missing (CGO off, statically).
func Install(t testing.TB, root, module, version, name string) string {
	t.Helper()
	bin, err := filepath.Abs(filepath.Join(root, ".local", "bin"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(bin, name+"-"+version)
	if _, err := os.Stat(path); err == nil {
		return path
	}
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	// One installs, the others wait for it and find it there.
	lock, err := os.OpenFile(filepath.Join(bin, "."+name+".lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err == nil {
		return path
	}
	tmp := t.TempDir()
	cmd := exec.Command("go", "install", module+"@"+version)
	cmd.Env = append(os.Environ(), "GOBIN="+tmp, "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go install %s@%s: %v\n%s", module, version, err, out)
	}
	if err := os.Rename(filepath.Join(tmp, filepath.Base(module)), path); err != nil {
		t.Fatal(err)
	}
	return path
}
