// Command coldstart measures, on this machine, how long each Lambda function
// under functions/ takes from process start to being ready for its first
// invocation: a local stand-in for the Init Duration that AWS reports.
//
//	cd bench && go run ./coldstart                  # every function, 10 starts each
//	cd bench && go run ./coldstart -n 30 -tsv out.tsv
//
// Each function is built as it is deployed (static, -trimpath, -tags
// lambda.norpc, -ldflags '-s -w'), once for this machine, which is what runs,
// and once for linux/arm64, whose size is reported. Every start runs the
// binary with the stack's environment (TABLE_NAME, SECRETS_PREFIX, MAIL_FROM,
// BASE_URL, SES_CONFIGURATION_SET), dummy credentials and two servers on
// loopback:
//
//   - a fake SSM (AWS_ENDPOINT_URL_SSM) answering GetParametersByPath with
//     the secrets the stack keeps under SECRETS_PREFIX: webhook/<source> for
//     every source and link-signing-key (shared/aws/secrets). DynamoDB and SES
//     (AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_SESV2) point at the same
//     server, which refuses them, so nothing leaves the machine;
//   - a fake Lambda Runtime API (AWS_LAMBDA_RUNTIME_API). The function's
//     first GET /2018-06-01/runtime/invocation/next ends its init.
//
// Init time is from just before the process is started to the arrival of
// that first request: exec, the Go runtime and package initialisation, main's
// setup (environment, policy, SDK configuration, the SSM round trip, the
// clients) and lambda.Start. The first invocation is then answered with a
// small payload (see invocations), its response or error is accepted, and
// the process is killed. Peak RSS is the process's high-water mark over init
// and that invocation (VmHWM; ru_maxrss where there is no /proc, see
// peakRSS). One more start with GODEBUG=inittrace=1 sums the clock time and
// the bytes allocated by package initialisation alone.
//
// What it does not measure: the Lambda sandbox (AWS creates a microVM, or
// restores one, before the process starts), the download and unpacking of
// the code, network latency to SSM (here a loopback round trip of well under
// a millisecond; in a region, a TLS handshake and a few milliseconds more),
// and the CPU share that a function's memory size buys (256 MB is a fraction
// of a vCPU, while here the process has every core of this machine and the
// binary is in the page cache). The Init Duration AWS reports is therefore
// higher than these numbers; they are for comparing builds and changes to
// start-up code, not for predicting the absolute figure. Runs on this
// machine's OS and architecture, which need not be linux/arm64.
package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	"scorecard/shared/core/records"
	"scorecard/shared/devkit/ssmfake"
	"scorecard/shared/source"
)

// secretsPrefix is the SSM path of the secrets in the measured runs.
const secretsPrefix = "/scorecard/coldstart"

// webhookSources are the sources with a webhook secret, as shared/aws/secrets
// reads them (the registry's systems and the records route); the fake SSM holds all of them, as the stack's prefix does.
var webhookSources = append(source.Names(), records.Source)

// invocations are the first events sent to each function: requests each
// handler turns down before it reaches the table, so that the run ends
// quickly. A function not listed gets {}.
var invocations = map[string]string{
	"webhook": `{"version":"2.0","rawPath":"/webhooks/none","requestContext":{"http":{"method":"POST","path":"/webhooks/none"}}}`,
	"forms":   `{"version":"2.0","rawPath":"/s/none","requestContext":{"http":{"method":"GET","path":"/s/none"}}}`,
	"monthly": `{"month":"none"}`,
	// The sweep: its query reaches the fake endpoint, which refuses it.
	"notifier": `{}`,
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("coldstart: ")
	n := flag.Int("n", 10, "starts per function")
	tsv := flag.String("tsv", "", "append coldstart.<function>.<measure>\\tvalue lines to this file")
	root := flag.String("root", "..", "the repository root (holding functions/)")
	only := flag.String("functions", "", "comma-separated functions to measure (default: every folder under functions/)")
	timeout := flag.Duration("timeout", 20*time.Second, "longest wait for a function to start or answer")
	verbose := flag.Bool("v", false, "print each start")
	flag.Parse()
	if *n < 1 {
		log.Fatal("-n must be at least 1")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, options{N: *n, TSV: *tsv, Root: *root, Only: *only, Timeout: *timeout, Verbose: *verbose}); err != nil {
		log.Fatal(err)
	}
}

type options struct {
	N       int
	TSV     string
	Root    string
	Only    string
	Timeout time.Duration
	Verbose bool
}

// result is one function's measurements.
type result struct {
	Name                 string
	InitP50, InitP90     time.Duration
	SSMP50               time.Duration // start to the SSM request
	RSSP50               float64       // MiB
	HostBytes, ARM64     int64
	ARM64Zip             int64
	PkgInitMS            float64
	PkgInitBytes         int64
	PkgInits             int
	SlowestInits         []pkgInit
	Responses, Errors, N int
}

func run(ctx context.Context, o options) error {
	root, err := filepath.Abs(o.Root)
	if err != nil {
		return err
	}
	names, err := functionNames(root, o.Only)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "coldstart")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	aws := newFakeAWS()
	awsSrv := httptest.NewServer(aws)
	defer awsSrv.Close()

	var results []result
	for _, name := range names {
		r, err := measure(ctx, o, root, dir, name, awsSrv.URL, aws)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		results = append(results, r)
	}
	printTable(os.Stdout, o.N, results)
	if o.TSV != "" {
		return appendTSV(o.TSV, results)
	}
	return nil
}

// functionNames lists the folders under functions/ holding a main.go, or
// checks the ones asked for.
func functionNames(root, only string) ([]string, error) {
	if only != "" {
		names := strings.Split(only, ",")
		for _, n := range names {
			if _, err := os.Stat(filepath.Join(root, "functions", n, "main.go")); err != nil {
				return nil, fmt.Errorf("no function %q: %w", n, err)
			}
		}
		return names, nil
	}
	entries, err := os.ReadDir(filepath.Join(root, "functions"))
	if err != nil {
		return nil, fmt.Errorf("%w (run from bench/ or pass -root)", err)
	}
	var names []string
	for _, e := range entries {
		if _, err := os.Stat(filepath.Join(root, "functions", e.Name(), "main.go")); e.IsDir() && err == nil {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no functions under %s/functions", root)
	}
	return names, nil
}

// measure builds one function and starts it o.N times, then once more with
// GODEBUG=inittrace=1.
func measure(ctx context.Context, o options, root, dir, name, awsURL string, aws *fakeAWS) (result, error) {
	host := filepath.Join(dir, runtime.GOOS+"-"+runtime.GOARCH, name)
	arm := filepath.Join(dir, "linux-arm64", name, "bootstrap")
	if err := build(ctx, root, name, host, runtime.GOOS, runtime.GOARCH); err != nil {
		return result{}, err
	}
	if err := build(ctx, root, name, arm, "linux", "arm64"); err != nil {
		return result{}, err
	}
	r := result{Name: name, N: o.N}
	var err error
	if r.HostBytes, err = fileSize(host); err != nil {
		return result{}, err
	}
	if r.ARM64, err = fileSize(arm); err != nil {
		return result{}, err
	}
	if r.ARM64Zip, err = zipSize(arm); err != nil {
		return result{}, err
	}

	var inits, ssms []time.Duration
	var rss []float64
	for i := range o.N {
		s, err := start(ctx, o.Timeout, host, env(name, dir, awsURL, ""), invocation(name), aws)
		if err != nil {
			return result{}, fmt.Errorf("start %d: %w", i+1, err)
		}
		if o.Verbose {
			log.Printf("%s #%d: init %v (SSM at %v), peak RSS %.1f MiB, invocation %s", name, i+1, s.Init.Round(10*time.Microsecond), s.SSM.Round(10*time.Microsecond), s.RSS, s.Outcome)
		}
		inits, ssms, rss = append(inits, s.Init), append(ssms, s.SSM), append(rss, s.RSS)
		switch s.Outcome {
		case "response":
			r.Responses++
		case "error":
			r.Errors++
		}
	}
	r.InitP50, r.InitP90 = median(inits), nearestRank(inits, 0.9)
	r.SSMP50 = median(ssms)
	r.RSSP50 = median(rss)

	s, err := start(ctx, o.Timeout, host, env(name, dir, awsURL, "inittrace=1"), invocation(name), aws)
	if err != nil {
		return result{}, fmt.Errorf("start with inittrace: %w", err)
	}
	t := parseInitTrace(s.Stderr)
	if len(t) == 0 {
		return result{}, errors.New("GODEBUG=inittrace=1 printed no init lines")
	}
	for _, p := range t {
		r.PkgInitMS += p.ClockMS
		r.PkgInitBytes += p.Bytes
	}
	r.PkgInits = len(t)
	slices.SortStableFunc(t, func(a, b pkgInit) int { return cmp.Compare(b.ClockMS, a.ClockMS) })
	r.SlowestInits = t[:min(3, len(t))]
	return r, nil
}

// build compiles functions/<name> as `make build` does, for goos/goarch.
func build(ctx context.Context, root, name, out, goos, goarch string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-tags", "lambda.norpc", "-ldflags", "-s -w", "-o", out, "./functions/"+name)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+goos, "GOARCH="+goarch)
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s for %s/%s: %w\n%s", name, goos, goarch, err, b)
	}
	return nil
}

// env is the function's whole environment: the stack's variables (infra),
// what Lambda sets that the code reads, and the fakes' addresses. Nothing
// is inherited from this process, so a profile or credentials in the
// caller's environment or home directory cannot change what is measured.
func env(name, dir, awsURL, godebug string) []string {
	home := filepath.Join(dir, "home")
	e := []string{
		"TABLE_NAME=scorecard",
		"SECRETS_PREFIX=" + secretsPrefix,
		"MAIL_FROM=scorecard@example.com",
		"BASE_URL=https://scorecard.example.com",
		"SES_CONFIGURATION_SET=scorecard",

		"AWS_REGION=us-east-1",
		"AWS_DEFAULT_REGION=us-east-1",
		"AWS_ACCESS_KEY_ID=dummykey",
		"AWS_SECRET_ACCESS_KEY=dummysecret",
		"AWS_LAMBDA_FUNCTION_NAME=scorecard-" + name,
		"TZ=:UTC",
		"HOME=" + home,
		"AWS_CONFIG_FILE=" + filepath.Join(home, "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "credentials"),
		"AWS_EC2_METADATA_DISABLED=true",

		"AWS_ENDPOINT_URL_SSM=" + awsURL,
		"AWS_ENDPOINT_URL_DYNAMODB=" + awsURL,
		"AWS_ENDPOINT_URL_SESV2=" + awsURL,
	}
	if godebug != "" {
		e = append(e, "GODEBUG="+godebug)
	}
	return e
}

func invocation(name string) string {
	if p, ok := invocations[name]; ok {
		return p
	}
	return "{}"
}

// started is one start's measurements.
type started struct {
	Init    time.Duration // start to the first GET .../invocation/next
	SSM     time.Duration // start to the GetParametersByPath request
	RSS     float64       // peak resident set, MiB
	Outcome string        // "response", "error" or "none" (no answer in time)
	Stderr  []byte
}

// start runs the binary once against a fresh fake Runtime API.
func start(ctx context.Context, timeout time.Duration, bin string, env []string, payload string, aws *fakeAWS) (started, error) {
	rt := newFakeRuntime(payload)
	srv := httptest.NewServer(rt)
	defer srv.Close()
	defer rt.close()

	var stderr, stdout bytes.Buffer
	cmd := exec.Command(bin)
	cmd.Env = append(env, "AWS_LAMBDA_RUNTIME_API="+strings.TrimPrefix(srv.URL, "http://"))
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	aws.reset()

	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return started{}, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stopped := false
	kill := func() {
		if !stopped {
			stopped = true
			_ = cmd.Process.Kill()
			<-exited
		}
	}
	defer kill()

	var s started
	select {
	case t := <-rt.next:
		s.Init = t.Sub(t0)
	case err := <-exited:
		stopped = true
		return started{}, fmt.Errorf("exited before asking for an invocation (%v):\n%s", err, tail(stderr.Bytes()))
	case <-time.After(timeout):
		return started{}, fmt.Errorf("no request for an invocation within %v", timeout)
	case <-ctx.Done():
		return started{}, ctx.Err()
	}
	ssmAt, ok := aws.ssmAt()
	if !ok {
		return started{}, errors.New("ready without having read its secrets from the fake SSM")
	}
	s.SSM = ssmAt.Sub(t0)

	s.Outcome = "none"
	select {
	case s.Outcome = <-rt.outcome:
	case <-exited:
		stopped = true
		return started{}, fmt.Errorf("exited during its first invocation:\n%s", tail(stderr.Bytes()))
	case <-time.After(timeout):
	case <-ctx.Done():
		return started{}, ctx.Err()
	}
	hwm, hwmErr := peakRSS(cmd.Process.Pid)
	kill()
	if hwmErr == nil {
		s.RSS = hwm
	} else {
		ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		if !ok {
			return started{}, errors.New("no resource usage for the process on this OS")
		}
		s.RSS = maxrssMiB(ru.Maxrss)
	}
	s.Stderr = stderr.Bytes()
	return s, nil
}

// peakRSS reads the peak resident set of a live process from
// /proc/<pid>/status (VmHWM, Linux). It is preferred to the rusage of the
// exited process: on Linux, os/exec starts the child with vfork, and exec
// carries the parent's peak RSS into the child's ru_maxrss, so that figure
// is never below this program's own peak.
func peakRSS(pid int) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("VmHWM %q: %w", v, err)
			}
			return float64(kb) / 1024, nil
		}
	}
	return 0, errors.New("no VmHWM in /proc status")
}

// maxrssMiB converts ru_maxrss, kilobytes on Linux and bytes on macOS.
func maxrssMiB(v int64) float64 {
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return float64(v) / (1 << 20)
	}
	return float64(v) / (1 << 10)
}

// fakeRuntime is the Lambda Runtime API for one process: it hands out one
// invocation and records the time of the first request for one.
type fakeRuntime struct {
	payload string
	next    chan time.Time // the first GET .../next
	outcome chan string    // "response" or "error" of that invocation
	done    chan struct{}
	once    sync.Once
	mu      sync.Mutex
	served  bool
}

const runtimeAPI = "/2018-06-01/runtime/"

func newFakeRuntime(payload string) *fakeRuntime {
	return &fakeRuntime{payload: payload, next: make(chan time.Time, 1), outcome: make(chan string, 1), done: make(chan struct{})}
}

func (f *fakeRuntime) close() { f.once.Do(func() { close(f.done) }) }

func (f *fakeRuntime) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	path := strings.TrimPrefix(r.URL.Path, runtimeAPI)
	switch {
	case r.Method == http.MethodGet && path == "invocation/next":
		f.mu.Lock()
		first := !f.served
		f.served = true
		f.mu.Unlock()
		if !first {
			// Later polls wait, as in Lambda, until the process is stopped.
			select {
			case <-r.Context().Done():
			case <-f.done:
			}
			return
		}
		f.next <- now
		h := w.Header()
		h.Set("Lambda-Runtime-Aws-Request-Id", "coldstart-1")
		h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(now.Add(time.Minute).UnixMilli(), 10))
		h.Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:coldstart")
		h.Set("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Parent=0000000000000000;Sampled=0")
		h.Set("Content-Type", "application/json")
		io.WriteString(w, f.payload)
	case r.Method == http.MethodPost && strings.HasPrefix(path, "invocation/") && (strings.HasSuffix(path, "/response") || strings.HasSuffix(path, "/error")):
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusAccepted)
		io.WriteString(w, `{"status":"OK"}`)
		select {
		case f.outcome <- path[strings.LastIndexByte(path, '/')+1:]:
		default:
		}
	case r.Method == http.MethodPost && path == "init/error":
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusAccepted)
	default:
		http.NotFound(w, r)
	}
}

// fakeAWS answers SSM's GetParametersByPath with the stack's secrets
// (ssmfake, as the runtime-emulator tests do) and refuses every other call
// (DynamoDB, SES) with a non-retryable error; it notes when SSM was first
// asked.
type fakeAWS struct {
	ssmfake.Server
	mu  sync.Mutex
	ssm time.Time // the first GetParametersByPath since reset
}

func newFakeAWS() *fakeAWS {
	f := &fakeAWS{}
	f.Params = map[string]string{}
	names := []string{"link-signing-key"}
	for _, s := range webhookSources {
		names = append(names, "webhook/"+s)
	}
	for _, n := range names {
		f.Params[secretsPrefix+"/"+n] = "coldstart-" + strings.ReplaceAll(n, "/", "-") + "-secret"
	}
	f.Seen = func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.ssm.IsZero() {
			f.ssm = time.Now()
		}
	}
	return f
}

func (f *fakeAWS) reset() {
	f.mu.Lock()
	f.ssm = time.Time{}
	f.mu.Unlock()
}

func (f *fakeAWS) ssmAt() (time.Time, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.ssm, !f.ssm.IsZero()
}

// pkgInit is one line of GODEBUG=inittrace=1.
type pkgInit struct {
	Package string
	ClockMS float64
	Bytes   int64
}

var initLine = regexp.MustCompile(`^init (\S+) @[0-9.]+ ms, ([0-9.]+) ms clock, ([0-9]+) bytes, [0-9]+ allocs$`)

// parseInitTrace reads the package-init lines of an inittrace run's stderr
// and ignores everything else.
func parseInitTrace(stderr []byte) []pkgInit {
	var out []pkgInit
	sc := bufio.NewScanner(bytes.NewReader(stderr))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		m := initLine.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil {
			continue
		}
		ms, err1 := strconv.ParseFloat(m[2], 64)
		b, err2 := strconv.ParseInt(m[3], 10, 64)
		if err1 != nil || err2 != nil {
			continue
		}
		out = append(out, pkgInit{Package: m[1], ClockMS: ms, Bytes: b})
	}
	return out
}

// median of a non-empty sample; the mean of the middle two for an even one.
func median[T time.Duration | float64](xs []T) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// nearestRank is the p-quantile by the nearest-rank method: the smallest
// value with at least p of the sample at or below it.
func nearestRank[T time.Duration | float64](xs []T, p float64) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	i := int(math.Ceil(p*float64(len(s)))) - 1
	return s[max(0, min(i, len(s)-1))]
}

func fileSize(path string) (int64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// zipSize is the size of the deployment package: the bootstrap alone,
// deflated, as the CDK asset zips it.
func zipSize(path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var n countingWriter
	zw := zip.NewWriter(&n)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "bootstrap", Method: zip.Deflate})
	if err != nil {
		return 0, err
	}
	if _, err := io.Copy(w, f); err != nil {
		return 0, err
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}
	return int64(n), nil
}

// countingWriter counts the bytes written to it.
type countingWriter int64

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}

func tail(b []byte) string {
	const n = 2000
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

const mib = 1 << 20

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func printTable(w io.Writer, n int, rs []result) {
	fmt.Fprintf(w, "cold start on %s/%s, %d CPUs, %s; %d starts per function\n\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version(), n)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "function\tinit p50 ms\tinit p90 ms\tto SSM p50 ms\tRSS p50 MiB\tpkg init ms\tpkg init KiB\thost MiB\tarm64 MiB\tarm64 zip MiB\t")
	for _, r := range rs {
		fmt.Fprintf(tw, "%s\t%.1f\t%.1f\t%.1f\t%.1f\t%.2f\t%.0f\t%.1f\t%.1f\t%.1f\t\n",
			r.Name, ms(r.InitP50), ms(r.InitP90), ms(r.SSMP50), r.RSSP50, r.PkgInitMS, float64(r.PkgInitBytes)/1024,
			float64(r.HostBytes)/mib, float64(r.ARM64)/mib, float64(r.ARM64Zip)/mib)
	}
	tw.Flush()
	fmt.Fprintln(w)
	for _, r := range rs {
		var slow []string
		for _, p := range r.SlowestInits {
			slow = append(slow, fmt.Sprintf("%s %.2f ms", p.Package, p.ClockMS))
		}
		fmt.Fprintf(w, "%s: %d package inits, slowest %s; first invocation %d responses, %d errors of %d\n",
			r.Name, r.PkgInits, strings.Join(slow, ", "), r.Responses, r.Errors, r.N)
	}
}

// appendTSV appends one line per measure: coldstart.<function>.<measure>,
// a tab, the value (milliseconds or MiB).
func appendTSV(path string, rs []result) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	var b strings.Builder
	for _, r := range rs {
		for _, kv := range []struct {
			k string
			v float64
		}{
			{"init_ms_p50", ms(r.InitP50)},
			{"init_ms_p90", ms(r.InitP90)},
			{"rss_mb", r.RSSP50},
			{"arm64_mb", float64(r.ARM64) / mib},
			{"pkginit_ms", r.PkgInitMS},
		} {
			fmt.Fprintf(&b, "coldstart.%s.%s\t%.3f\n", r.Name, kv.k, kv.v)
		}
	}
	if _, err := f.WriteString(b.String()); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
