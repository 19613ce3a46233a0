// Package rie runs a function binary under the AWS Lambda Runtime
// Interface Emulator — the runtime API Lambda gives a provided.al2023
// function — for the tests: the emulator is installed from the Go module
// proxy once, the function built for this machine, and events invoked
// through the emulator's HTTP endpoint as Lambda would deliver them.
package rie

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"scorecard/shared/devkit/gotool"
)

// The emulator's module and the version these tests run.
const (
	Module  = "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie"
	Version = "v0.0.0-20261030222936-bef5c4ba774d"
)

// Emulator is the emulator's binary under root/.local/bin, installed with
// go install the first time.
func Emulator(t testing.TB, root string) string {
	t.Helper()
	return gotool.Install(t, root, Module, Version, "aws-lambda-rie")
}

// Build builds root/functions/<name> for this machine, statically, as the
// deployed one is built for arm64.
func Build(t testing.TB, root, name string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "bootstrap")
	cmd := exec.Command("go", "build", "-trimpath", "-tags", "lambda.norpc", "-o", out, "./functions/"+name)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build %s: %v\n%s", name, err, b)
	}
	return out
}

// Function is a function binary running under the emulator.
type Function struct {
	url  string
	logs *logs
}

// logs collects the emulator's output, written by exec's copying
// goroutines while the test reads it.
type logs struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Start runs bootstrap under the emulator with env (and nothing else of
// this process's environment but PATH and HOME), stopped when t ends.
func Start(t testing.TB, emulator, bootstrap string, env ...string) *Function {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	f := &Function{url: "http://" + addr + "/2015-03-31/functions/function/invocations", logs: &logs{}}
	cmd := exec.Command(emulator, "--runtime-interface-emulator-address", addr, "--log-level", "error", bootstrap)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}, env...)
	cmd.Stdout, cmd.Stderr = f.logs, f.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("emulator and function output:\n%s", f.logs)
		}
	})
	for deadline := time.Now().Add(10 * time.Second); ; {
		c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the emulator did not listen on %s: %v\n%s", addr, err, f.logs)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return f
}

// Invoke delivers one event (JSON) and returns the function's answer as
// the emulator gives it; a function that fails to answer fails t.
func (f *Function) Invoke(t testing.TB, event []byte) []byte {
	t.Helper()
	status, b := f.InvokeStatus(t, event)
	if status != http.StatusOK {
		t.Fatalf("invoke: HTTP %d: %s", status, b)
	}
	return b
}

// InvokeStatus delivers one event and returns the emulator's HTTP status
// (502 when the function died, at init or in the handler) and its answer.
func (f *Function) InvokeStatus(t testing.TB, event []byte) (int, []byte) {
	t.Helper()
	resp, err := http.Post(f.url, "application/json", bytes.NewReader(event))
	if err != nil {
		t.Fatalf("invoke: %v", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

// Logs are what the emulator and the function wrote so far.
func (f *Function) Logs() string { return f.logs.String() }

// WaitLogs waits up to 10 s for the output to hold every one of want (the
// emulator may write after it has answered) and reports whether it did.
func (f *Function) WaitLogs(want ...string) bool {
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		out := f.Logs()
		missing := false
		for _, w := range want {
			missing = missing || !strings.Contains(out, w)
		}
		if !missing {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
	}
}

// String names the function's endpoint.
func (f *Function) String() string { return fmt.Sprintf("function at %s", f.url) }
