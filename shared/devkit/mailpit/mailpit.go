// Package mailpit runs Mailpit — an SMTP server for testing, with an HTTP
// API that lists what it received and parses it with its own MIME reader —
// for the tests of the SMTP relay path: installed from the Go module proxy
// once into .local/bin, started per test on free loopback ports with a
// certificate made for the test, and stopped when the test ends.
package mailpit

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"scorecard/shared/devkit/gotool"
)

// The module and the version the tests run.
const (
	Module  = "github.com/axllent/mailpit"
	Version = "v1.33.1"
)

// Binary is Mailpit under root/.local/bin, installed with go install the
// first time (about a minute: it builds SQLite in Go).
func Binary(t testing.TB, root string) string {
	t.Helper()
	return gotool.Install(t, root, Module, Version, "mailpit")
}

// Options choose how the server speaks.
type Options struct {
	// ImplicitTLS: TLS from the first byte (the submissions port's way);
	// otherwise STARTTLS is required before anything else.
	ImplicitTLS bool
	// Plain: no TLS at all, neither implicit nor STARTTLS, and logins
	// allowed in clear: the relay a sender must refuse.
	Plain bool
	// Users may log in with their passwords; every message is tagged with
	// the user that sent it.
	Users map[string]string
}

// Server is a running Mailpit.
type Server struct {
	Host     string // 127.0.0.1, the name its certificate carries
	SMTPPort int
	API      string // http://127.0.0.1:port
	CertFile string // the certificate's PEM: a root for SSL_CERT_FILE
	RootCAs  *x509.CertPool
	logs     *logs
}

// logs collects the server's output, written by exec's copying goroutine
// while a failing test reads it.
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

// Start starts Mailpit and waits until it answers; it stops with the test.
func Start(t testing.TB, root string, o Options) *Server {
	t.Helper()
	bin := Binary(t, root)
	dir := t.TempDir()
	certFile, keyFile, pool := certificate(t, dir)
	var users strings.Builder
	for u, p := range o.Users {
		fmt.Fprintf(&users, "%s:%s\n", u, p)
	}
	authFile := filepath.Join(dir, "users")
	if err := os.WriteFile(authFile, []byte(users.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	s := &Server{Host: "127.0.0.1", SMTPPort: freePort(t), CertFile: certFile, RootCAs: pool, logs: &logs{}}
	httpPort := freePort(t)
	s.API = "http://127.0.0.1:" + strconv.Itoa(httpPort)
	args := []string{
		"--smtp", "127.0.0.1:" + strconv.Itoa(s.SMTPPort),
		"--listen", "127.0.0.1:" + strconv.Itoa(httpPort),
		"--database", filepath.Join(dir, "mailpit.db"),
		"--smtp-auth-file", authFile, "--tags-username",
		"--enable-chaos", "--disable-version-check", "--smtp-disable-rdns",
	}
	switch {
	case o.Plain:
		args = append(args, "--smtp-auth-allow-insecure")
	case o.ImplicitTLS:
		args = append(args, "--smtp-tls-cert", certFile, "--smtp-tls-key", keyFile, "--smtp-require-tls")
	default:
		args = append(args, "--smtp-tls-cert", certFile, "--smtp-tls-key", keyFile, "--smtp-require-starttls")
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = s.logs, s.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-done
		if t.Failed() {
			t.Logf("mailpit's log:\n%s", s.logs.String())
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(s.API + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		select {
		case <-done:
			t.Fatalf("mailpit exited before answering:\n%s", s.logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailpit did not answer on %s within 30 s:\n%s", s.API, s.logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return s
}

// TLS is a client configuration that trusts the server's certificate.
func (s *Server) TLS() *tls.Config {
	return &tls.Config{RootCAs: s.RootCAs, MinVersion: tls.VersionTLS12}
}

// Address is one of a message's addresses.
type Address struct{ Name, Address string }

// Summary is a message in the list.
type Summary struct {
	ID, MessageID, Subject string
	From                   Address
	To                     []Address
	Tags                   []string
}

// File is an inline part or an attachment, as Mailpit parsed it.
type File struct {
	PartID, FileName, ContentType, ContentID string
	Size                                     int
}

// Message is a message as Mailpit parsed it.
type Message struct {
	ID, MessageID, Subject, Text, HTML string
	Date                               time.Time
	From                               *Address
	To                                 []Address
	Tags                               []string
	Inline, Attachments                []File
}

// Messages lists what arrived, newest first.
func (s *Server) Messages(t testing.TB) []Summary {
	t.Helper()
	var out struct{ Messages []Summary }
	s.get(t, "/api/v1/messages?limit=1000", &out)
	return out.Messages
}

// Message is one message, parsed.
func (s *Server) Message(t testing.TB, id string) Message {
	t.Helper()
	var m Message
	s.get(t, "/api/v1/message/"+id, &m)
	return m
}

// Part is the decoded bytes of a message's part.
func (s *Server) Part(t testing.TB, id, partID string) []byte {
	t.Helper()
	return s.raw(t, "/api/v1/message/"+id+"/part/"+partID)
}

// Raw is the message as it arrived.
func (s *Server) Raw(t testing.TB, id string) []byte {
	t.Helper()
	return s.raw(t, "/api/v1/message/"+id+"/raw")
}

// Chaos makes the server refuse every RCPT TO with code (0: accept again).
func (s *Server) Chaos(t testing.TB, recipientCode int) {
	t.Helper()
	prob := 100
	if recipientCode == 0 {
		recipientCode, prob = 451, 0
	}
	body := fmt.Sprintf(`{"Recipient": {"ErrorCode": %d, "Probability": %d}}`, recipientCode, prob)
	req, _ := http.NewRequest(http.MethodPut, s.API+"/api/v1/chaos", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("PUT /api/v1/chaos: %d %s", resp.StatusCode, b)
	}
}

func (s *Server) get(t testing.TB, path string, v any) {
	t.Helper()
	if err := json.Unmarshal(s.raw(t, path), v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

func (s *Server) raw(t testing.TB, path string) []byte {
	t.Helper()
	resp, err := http.Get(s.API + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %v %.300s", path, resp.StatusCode, err, b)
	}
	return b
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// certificate makes a self-signed certificate for 127.0.0.1 and localhost,
// valid for a day, and returns its files and a pool that trusts it.
func certificate(t testing.TB, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "scorecard test relay"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}
