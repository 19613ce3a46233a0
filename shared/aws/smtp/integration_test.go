package smtp_test

import (
	"bytes"
	"context"
	"crypto/tls"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/aws/smtp"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/mail"
	"scorecard/shared/devkit/mailpit"
	"scorecard/shared/devkit/mimetest"
)

const root = "../../.."

const (
	user     = "relay-user"
	password = "relay-password-不-in-logs"
	from     = "Scorecard <scorecard@acme.example.cn>"
)

func mailer(t *testing.T, s *mailpit.Server, implicit bool, mutate func(*smtp.Config)) *smtp.Mailer {
	t.Helper()
	cfg := smtp.Config{
		Host: s.Host, Port: s.SMTPPort, ImplicitTLS: implicit,
		User: user, Password: password, From: from, TLS: s.TLS(),
	}
	if mutate != nil {
		mutate(&cfg)
	}
	m, err := smtp.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestTheReportArrivesIntact sends a real team report through a real SMTP
// server, over STARTTLS and over implicit TLS with a login, and reads it
// back with the server's own MIME parser: subject, sender, recipient, both
// bodies, the inline chart under its Content-ID and the attached workbook,
// byte for byte; and, parsed with the standard library, the very parts the
// builder wrote for SES.
func TestTheReportArrivesIntact(t *testing.T) {
	report := mimetest.TeamReport(t)
	for _, tc := range []struct {
		name     string
		implicit bool
	}{{"STARTTLS", false}, {"implicit TLS", true}} {
		t.Run(tc.name, func(t *testing.T) {
			s := mailpit.Start(t, root, mailpit.Options{ImplicitTLS: tc.implicit, Users: map[string]string{user: password}})
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			id, err := mailer(t, s, tc.implicit, nil).Send(ctx, []string{"Mia <mia@acme.example.cn>"}, report)
			if err != nil {
				t.Fatalf("send: %v", err)
			}
			list := s.Messages(t)
			if len(list) != 1 {
				t.Fatalf("%d messages arrived, want 1", len(list))
			}
			got := s.Message(t, list[0].ID)
			if "<"+got.MessageID+">" != id {
				t.Errorf("Message-ID %q, Send returned %q", got.MessageID, id)
			}
			if got.Subject != report.Subject {
				t.Errorf("subject %q, want %q", got.Subject, report.Subject)
			}
			if got.From == nil || got.From.Address != "scorecard@acme.example.cn" || got.From.Name != "Scorecard" {
				t.Errorf("from %+v", got.From)
			}
			if len(got.To) != 1 || got.To[0].Address != "mia@acme.example.cn" {
				t.Errorf("to %+v", got.To)
			}
			// The headers a relay leaves to the sender, as they arrived.
			raw := s.Raw(t, got.ID)
			hdr, err := netmail.ReadMessage(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			if date, err := hdr.Header.Date(); err != nil || time.Since(date).Abs() > time.Minute {
				t.Errorf("Date header %q (%v), want about now", hdr.Header.Get("Date"), err)
			}
			if hdr.Header.Get("Message-ID") != id {
				t.Errorf("Message-ID header %q, want %q", hdr.Header.Get("Message-ID"), id)
			}
			if !strings.Contains(strings.Join(got.Tags, ","), user) {
				t.Errorf("tags %v: the message was not sent with the login %s", got.Tags, user)
			}
			if !strings.Contains(got.HTML, "团队绩效报告：North") || !strings.Contains(got.Text, "李安 (E1)") {
				t.Errorf("bodies lack the report: text %.200q", got.Text)
			}
			if len(got.Inline) != len(report.Inline) || len(got.Attachments) != len(report.Attachments) {
				t.Fatalf("%d inline and %d attached parts arrived, want %d and %d", len(got.Inline), len(got.Attachments), len(report.Inline), len(report.Attachments))
			}
			for i, p := range report.Inline {
				g := got.Inline[i]
				if g.ContentID != p.ContentID || g.ContentType != p.ContentType || !strings.Contains(got.HTML, "cid:"+p.ContentID) {
					t.Errorf("inline %d: %+v, want %s as %s", i, g, p.ContentID, p.ContentType)
				}
				if data := s.Part(t, got.ID, g.PartID); !bytes.Equal(data, p.Data) {
					t.Errorf("inline %s: %d bytes arrived, want the chart's %d", p.Filename, len(data), len(p.Data))
				}
			}
			for i, p := range report.Attachments {
				g := got.Attachments[i]
				if g.FileName != p.Filename {
					t.Errorf("attachment %d: name %q, want %q", i, g.FileName, p.Filename)
				}
				if data := s.Part(t, got.ID, g.PartID); !bytes.Equal(data, p.Data) {
					t.Errorf("attachment %s: %d bytes arrived, want the workbook's %d", p.Filename, len(data), len(p.Data))
				}
			}
			built, err := mail.Build(from, []string{"Mia <mia@acme.example.cn>"}, report, "any")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(mimetest.Parse(t, built), mimetest.Parse(t, raw)); diff != "" {
				t.Errorf("the relay got another message than SES would (-built +arrived):\n%s", diff)
			}
		})
	}
}

// TestRefusals: what the relay or the connection refuses is classified for
// the caller (Invalid: drop the mail; Unavailable: release it and retry),
// nothing arrives, and no error names a recipient or the password.
func TestRefusals(t *testing.T) {
	s := mailpit.Start(t, root, mailpit.Options{Users: map[string]string{user: password}})
	plain := mailpit.Start(t, root, mailpit.Options{Plain: true, Users: map[string]string{user: password}})
	const rcpt = "secret.customer@acme.example.cn"
	for _, tc := range []struct {
		name   string
		server *mailpit.Server
		mutate func(*smtp.Config)
		chaos  int
		want   string
		says   string
	}{
		{"a wrong password", s, func(c *smtp.Config) { c.Password = "wrong" }, 0, errcode.Unavailable, "AUTH (535"},
		{"an unknown user", s, func(c *smtp.Config) { c.User = "nobody" }, 0, errcode.Unavailable, "AUTH (535"},
		{"a certificate nobody vouches for", s, func(c *smtp.Config) { c.TLS = nil }, 0, errcode.Unavailable, "unavailable"},
		{"TLS spoken to a STARTTLS port", s, func(c *smtp.Config) { c.ImplicitTLS = true }, 0, errcode.Unavailable, "unavailable"},
		{"a relay without TLS", plain, nil, 0, errcode.Unavailable, "no STARTTLS"},
		{"a recipient refused for now", s, nil, 451, errcode.Unavailable, "RCPT TO (451"},
		{"a recipient refused for good", s, nil, 550, errcode.Invalid, "RCPT TO (550"},
		{"a mailbox full", s, nil, 552, errcode.Invalid, "RCPT TO (552"},
		{"a relay that is not there", s, func(c *smtp.Config) { c.Port = 1 }, 0, errcode.Unavailable, "unavailable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.server.Chaos(t, tc.chaos)
			defer tc.server.Chaos(t, 0)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			_, err := mailer(t, tc.server, false, tc.mutate).Send(ctx, []string{rcpt}, mail.Mail{Subject: "s", Text: "t"})
			if errcode.Code(err) != tc.want {
				t.Fatalf("got %v (%s), want %s", err, errcode.Code(err), tc.want)
			}
			if !strings.Contains(err.Error(), tc.says) {
				t.Errorf("error %q does not say %q", err, tc.says)
			}
			if strings.Contains(err.Error(), rcpt) || strings.Contains(err.Error(), password) {
				t.Errorf("error %q names the recipient or the password", err)
			}
			if n := len(tc.server.Messages(t)); n != 0 {
				t.Errorf("%d messages arrived", n)
			}
		})
	}
}

// TestACancelledSendStops: a relay that never answers holds the sender only
// as long as its context.
func TestACancelledSendStops(t *testing.T) {
	s := mailpit.Start(t, root, mailpit.Options{Users: map[string]string{user: password}})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	// A TLS handshake to a STARTTLS port: the server waits for a command
	// line that never comes.
	m := mailer(t, s, true, func(c *smtp.Config) { c.TLS = &tls.Config{RootCAs: s.RootCAs} })
	done := make(chan error, 1)
	go func() {
		_, err := m.Send(ctx, []string{"a@acme.example.cn"}, mail.Mail{Subject: "s", Text: "t"})
		done <- err
	}()
	select {
	case err := <-done:
		if errcode.Code(err) != errcode.Unavailable {
			t.Errorf("got %v, want unavailable", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Send outlived its context by 10 s")
	}
}
