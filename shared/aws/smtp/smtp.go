// Package smtp sends the product's mail through an SMTP relay: the way out
// in the regions where SES does not exist (the China regions, Hong Kong and
// a few newer ones), or wherever an organisation sends through its own
// relay. The message is the one SES gets (mail.Build), plus the Date and
// Message-ID headers a relay leaves to the sender; the callers' claim, mark
// and release bookkeeping is the same, since Mailer sends like ses.Mailer.
//
// Credentials never cross the network in clear: the connection speaks TLS
// from the first byte (port 465) or the relay must offer STARTTLS, and the
// relay's certificate is checked against the system's roots for Host.
package smtp

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"net/smtp"
	"net/textproto"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/mail"
)

// ImplicitTLSPort is the submissions port (RFC 8314): TLS from the first
// byte. Every other port starts in clear and must upgrade with STARTTLS.
const ImplicitTLSPort = 465

// dialTimeout bounds connecting when the caller's context has no deadline.
const dialTimeout = 30 * time.Second

// Config is a relay and the account mail is sent with.
type Config struct {
	Host string // the relay's host name, also the name its certificate must carry
	Port int
	// ImplicitTLS: TLS from the first byte, as on ImplicitTLSPort;
	// otherwise the relay must offer STARTTLS.
	ImplicitTLS bool
	// User and Password log in (AUTH PLAIN, or LOGIN where the relay
	// offers only that). No User: no login, for a relay that trusts the
	// sender by other means.
	User, Password string
	From           string // the sender, with or without a display name
	// TLS, when set, replaces the default (system roots, ServerName Host):
	// the tests give the root of their local relay's certificate.
	TLS *tls.Config
}

// Mailer sends mail through one relay; safe for concurrent use (each Send
// is its own connection).
type Mailer struct {
	cfg    Config
	sender *netmail.Address
	helo   string
	seed   func() string
	now    func() time.Time
}

// New checks the configuration: what is wrong is named, never a secret.
func New(cfg Config) (*Mailer, error) {
	var errs []error
	if cfg.Host == "" || strings.ContainsAny(cfg.Host, " /:@") {
		errs = append(errs, fmt.Errorf("SMTP_HOST %q: want a host name such as smtp.example.com", cfg.Host))
	}
	if cfg.Port < 1 || cfg.Port > 65535 {
		errs = append(errs, fmt.Errorf("SMTP_PORT %d: want a port from 1 to 65535", cfg.Port))
	}
	if cfg.User != "" && cfg.Password == "" {
		errs = append(errs, errors.New("SMTP_USER is set but the relay's password is empty"))
	}
	sender, err := netmail.ParseAddress(cfg.From)
	if err != nil {
		errs = append(errs, fmt.Errorf("MAIL_FROM: not a valid e-mail address"))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return &Mailer{
		cfg: cfg, sender: sender,
		helo: sender.Address[strings.LastIndex(sender.Address, "@")+1:],
		seed: randomHex, now: time.Now,
	}, nil
}

// ParsePort reads SMTP_PORT; empty is ImplicitTLSPort.
func ParsePort(v string) (int, error) {
	if v == "" {
		return ImplicitTLSPort, nil
	}
	p, err := strconv.Atoi(v)
	if err != nil || p < 1 || p > 65535 {
		return 0, fmt.Errorf("SMTP_PORT %q: want a port from 1 to 65535", v)
	}
	return p, nil
}

func randomHex() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Send mails msg to the recipients (all in To) and returns the Message-ID it
// gave the message. A relay's permanent refusal of the mail or an address
// (5xx) is errcode.Invalid; a refused login, a temporary refusal (4xx), a
// missing STARTTLS and any network fault are errcode.Unavailable, for the
// caller to release and retry. Error messages carry the reply code and its
// enhanced status, never the relay's text, which may quote an address.
func (m *Mailer) Send(ctx context.Context, to []string, msg mail.Mail) (string, error) {
	raw, err := mail.Build(m.cfg.From, to, msg, m.seed())
	if err != nil {
		return "", err
	}
	id := "<" + m.seed() + "@" + m.helo + ">"
	var buf bytes.Buffer
	buf.Grow(len(raw) + 100)
	fmt.Fprintf(&buf, "Date: %s\r\nMessage-ID: %s\r\n", m.now().Format(time.RFC1123Z), id)
	buf.Write(raw)
	rcpt := make([]string, len(to))
	for i, a := range to {
		addr, err := netmail.ParseAddress(a)
		if err != nil {
			return "", errcode.Errorf(errcode.Invalid, "recipient %d: not a valid e-mail address", i+1)
		}
		rcpt[i] = addr.Address
	}
	if err := m.deliver(ctx, rcpt, buf.Bytes()); err != nil {
		return "", err
	}
	return id, nil
}

// deliver runs one SMTP session: connect, TLS, login, one transaction.
func (m *Mailer) deliver(ctx context.Context, rcpt []string, data []byte) error {
	addr := net.JoinHostPort(m.cfg.Host, strconv.Itoa(m.cfg.Port))
	dctx := ctx
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		dctx, cancel = context.WithTimeout(ctx, dialTimeout)
		defer cancel()
	}
	conn, err := (&net.Dialer{}).DialContext(dctx, "tcp", addr)
	if err != nil {
		return unavailable("connect", err)
	}
	// The session ends when the context does: a deadline on the
	// connection for the slow relay, a close for a cancellation.
	if d, ok := dctx.Deadline(); ok {
		conn.SetDeadline(d)
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	defer conn.Close()

	tlsConfig := m.tlsConfig()
	if m.cfg.ImplicitTLS {
		tc := tls.Client(conn, tlsConfig)
		if err := tc.HandshakeContext(dctx); err != nil {
			return unavailable("TLS", err)
		}
		conn = tc
	}
	c, err := smtp.NewClient(conn, m.cfg.Host)
	if err != nil {
		return classify("greeting", err)
	}
	if err := c.Hello(m.helo); err != nil {
		return classify("EHLO", err)
	}
	if _, isTLS := conn.(*tls.Conn); !isTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return errcode.Errorf(errcode.Unavailable, "smtp: the relay on port %d offers no STARTTLS, and mail is never sent in clear (port %d speaks TLS from the start)", m.cfg.Port, ImplicitTLSPort)
		}
		if err := c.StartTLS(tlsConfig); err != nil {
			return classify("STARTTLS", err)
		}
	}
	if m.cfg.User != "" {
		_, mechs := c.Extension("AUTH")
		if err := c.Auth(m.auth(strings.Fields(strings.ToUpper(mechs)))); err != nil {
			return classify("AUTH", err)
		}
	}
	if ok, size := c.Extension("SIZE"); ok {
		if max, err := strconv.Atoi(size); err == nil && max > 0 && len(data) > max {
			return errcode.Errorf(errcode.TooLarge, "mail of %d bytes is over the %d bytes the relay accepts", len(data), max)
		}
	}
	if err := c.Mail(m.sender.Address); err != nil {
		return classify("MAIL FROM", err)
	}
	for _, r := range rcpt {
		if err := c.Rcpt(r); err != nil {
			return classify("RCPT TO", err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return classify("DATA", err)
	}
	if _, err := w.Write(data); err != nil {
		return classify("DATA", err)
	}
	if err := w.Close(); err != nil {
		return classify("end of DATA", err)
	}
	// The relay has taken the mail: a failing QUIT changes nothing.
	c.Quit()
	return nil
}

func (m *Mailer) tlsConfig() *tls.Config {
	if m.cfg.TLS != nil {
		c := m.cfg.TLS.Clone()
		if c.ServerName == "" {
			c.ServerName = m.cfg.Host
		}
		return c
	}
	return &tls.Config{ServerName: m.cfg.Host, MinVersion: tls.VersionTLS12}
}

// auth is PLAIN unless the relay offers LOGIN and not PLAIN.
func (m *Mailer) auth(offered []string) smtp.Auth {
	if !slices.Contains(offered, "PLAIN") && slices.Contains(offered, "LOGIN") {
		return &loginAuth{user: m.cfg.User, password: m.cfg.Password}
	}
	return smtp.PlainAuth("", m.cfg.User, m.cfg.Password, m.cfg.Host)
}

// loginAuth is the AUTH LOGIN mechanism (draft-murchison-sasl-login): the
// user name, then the password, each the answer to a challenge. Like
// smtp.PlainAuth it refuses a connection without TLS.
type loginAuth struct {
	user, password string
	step           int
}

func (a *loginAuth) Start(server *smtp.ServerInfo) (string, []byte, error) {
	if !server.TLS {
		return "", nil, errors.New("unencrypted connection")
	}
	a.step = 0
	return "LOGIN", nil, nil
}

func (a *loginAuth) Next(challenge []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	a.step++
	switch a.step {
	case 1:
		return []byte(a.user), nil
	case 2:
		return []byte(a.password), nil
	}
	return nil, errors.New("unexpected challenge after the password")
}

// enhanced is an RFC 3463 enhanced status code at the start of a reply.
var enhanced = regexp.MustCompile(`^[245]\.[0-9]{1,3}\.[0-9]{1,3}\b`)

// classify turns a failed step into an errcode error. A login refused for
// good (535 and the like) is still Unavailable: it is the deployment's
// account that is wrong, and once it is fixed the mail must still go.
func classify(step string, err error) error {
	var te *textproto.Error
	if !errors.As(err, &te) {
		return unavailable(step, err)
	}
	status := fmt.Sprintf("%d", te.Code)
	if e := enhanced.FindString(strings.TrimSpace(te.Msg)); e != "" {
		status += " " + e
	}
	cause := fmt.Errorf("smtp %s: %s", step, status)
	switch {
	case step == "AUTH" || step == "STARTTLS" || step == "EHLO" || step == "greeting":
		return errcode.Wrap(errcode.Unavailable, cause, fmt.Sprintf("mail relay refused %s (%s); check the relay's host, user and password", step, status))
	case (te.Code == 552 && step == "end of DATA") || strings.HasSuffix(status, " 5.3.4"):
		return errcode.Wrap(errcode.TooLarge, cause, fmt.Sprintf("mail relay: the mail is too large (%s)", status))
	case te.Code >= 500 && te.Code < 600 && te.Code != 530:
		return errcode.Wrap(errcode.Invalid, cause, fmt.Sprintf("mail rejected by the mail relay at %s (%s)", step, status))
	}
	return errcode.Wrap(errcode.Unavailable, cause, fmt.Sprintf("mail relay unavailable at %s (%s); retry", step, status))
}

// unavailable is a fault of the network or TLS; its text may name the
// relay's address, never a recipient's.
func unavailable(step string, err error) error {
	return errcode.Wrap(errcode.Unavailable, fmt.Errorf("smtp %s: %w", step, err), "mail relay unavailable; retry")
}
