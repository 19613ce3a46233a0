package smtp

import (
	"errors"
	"net/smtp"
	"net/textproto"
	"strings"
	"testing"

	"scorecard/shared/core/errcode"
)

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		step string
		err  error
		want string
		says string
	}{
		{"RCPT TO", &textproto.Error{Code: 550, Msg: "5.1.1 <bob@acme.cn>: Recipient address rejected"}, errcode.Invalid, "RCPT TO (550 5.1.1)"},
		{"RCPT TO", &textproto.Error{Code: 452, Msg: "4.4.5 Messages per second limit exceeded"}, errcode.Unavailable, "452 4.4.5"},
		{"MAIL FROM", &textproto.Error{Code: 553, Msg: "5.7.1 <scorecard@acme.cn>: Sender address rejected: not owned by user"}, errcode.Invalid, "MAIL FROM (553 5.7.1)"},
		{"end of DATA", &textproto.Error{Code: 552, Msg: "5.3.4 Message size exceeds fixed limit"}, errcode.TooLarge, "too large"},
		{"end of DATA", &textproto.Error{Code: 554, Msg: "5.3.4 message too big"}, errcode.TooLarge, "too large"},
		{"end of DATA", &textproto.Error{Code: 554, Msg: "5.7.1 spam"}, errcode.Invalid, "554 5.7.1"},
		{"AUTH", &textproto.Error{Code: 535, Msg: "5.7.8 Authentication credentials invalid"}, errcode.Unavailable, "AUTH (535 5.7.8)"},
		{"MAIL FROM", &textproto.Error{Code: 530, Msg: "5.7.0 Authentication required"}, errcode.Unavailable, "530 5.7.0"},
		{"EHLO", &textproto.Error{Code: 554, Msg: "no"}, errcode.Unavailable, "EHLO (554)"},
		{"DATA", errors.New("write tcp: broken pipe"), errcode.Unavailable, "retry"},
	} {
		t.Run(tc.step+" "+tc.err.Error(), func(t *testing.T) {
			err := classify(tc.step, tc.err)
			if errcode.Code(err) != tc.want || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("got %q (%s), want %s saying %q", err, errcode.Code(err), tc.want, tc.says)
			}
			if strings.Contains(err.Error(), "@") {
				t.Errorf("%q quotes the relay's text, which names an address", err)
			}
		})
	}
}

func TestLoginAuth(t *testing.T) {
	a := &loginAuth{user: "u", password: "p"}
	if _, _, err := a.Start(&smtp.ServerInfo{Name: "relay", TLS: false, Auth: []string{"LOGIN"}}); err == nil {
		t.Fatal("LOGIN over a connection without TLS")
	}
	mech, ir, err := a.Start(&smtp.ServerInfo{Name: "relay", TLS: true, Auth: []string{"LOGIN"}})
	if mech != "LOGIN" || ir != nil || err != nil {
		t.Fatalf("start: %q %q %v", mech, ir, err)
	}
	for i, want := range []string{"u", "p"} {
		got, err := a.Next([]byte("challenge"), true)
		if err != nil || string(got) != want {
			t.Fatalf("answer %d: %q %v, want %q", i+1, got, err, want)
		}
	}
	if _, err := a.Next([]byte("again"), true); err == nil {
		t.Error("a third challenge was answered")
	}
	if got, err := a.Next(nil, false); got != nil || err != nil {
		t.Errorf("done: %q %v", got, err)
	}
}

func TestAuthMechanism(t *testing.T) {
	m := &Mailer{cfg: Config{Host: "relay", User: "u", Password: "p"}}
	for _, tc := range []struct {
		offered []string
		login   bool
	}{
		{[]string{"PLAIN", "LOGIN"}, false},
		{[]string{"LOGIN"}, true},
		{[]string{"CRAM-MD5", "LOGIN"}, true},
		{nil, false},
	} {
		_, isLogin := m.auth(tc.offered).(*loginAuth)
		if isLogin != tc.login {
			t.Errorf("offered %v: LOGIN %v, want %v", tc.offered, isLogin, tc.login)
		}
	}
}

func TestNewAndParsePort(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		says string
	}{
		{"no host", Config{Port: 465, From: "a@b.cn"}, "SMTP_HOST"},
		{"a URL for a host", Config{Host: "smtp://relay", Port: 465, From: "a@b.cn"}, "SMTP_HOST"},
		{"no port", Config{Host: "relay", From: "a@b.cn"}, "SMTP_PORT"},
		{"a user without password", Config{Host: "relay", Port: 465, User: "u", From: "a@b.cn"}, "password"},
		{"a bad sender", Config{Host: "relay", Port: 465, From: "nobody"}, "MAIL_FROM"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := New(tc.cfg); err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("got %v, want an error naming %s", err, tc.says)
			}
		})
	}
	if m, err := New(Config{Host: "smtpdm.aliyun.com", Port: 465, User: "u", Password: "p", From: "Scorecard <s@mail.acme.cn>"}); err != nil || m.helo != "mail.acme.cn" {
		t.Errorf("a good configuration: %v (EHLO %q)", err, m.helo)
	}
	for v, want := range map[string]int{"": 465, "587": 587, "25": 25, "0": 0, "x": 0, "70000": 0} {
		got, err := ParsePort(v)
		if got != want || (want == 0) != (err != nil) {
			t.Errorf("ParsePort(%q) = %d, %v", v, got, err)
		}
	}
}

// FuzzClassify: whatever a relay replies, the error is one of the codes a
// caller acts on, and none of the reply's text but its status comes through
// (a reply may quote an address).
func FuzzClassify(f *testing.F) {
	steps := []string{"greeting", "EHLO", "STARTTLS", "AUTH", "MAIL FROM", "RCPT TO", "DATA", "end of DATA"}
	f.Add(uint8(5), 550, "5.1.1 <bob@acme.cn>: Recipient address rejected")
	f.Add(uint8(7), 552, "5.3.4 too big")
	f.Add(uint8(3), 535, "")
	f.Add(uint8(4), 421, "4.7.0 try again <x@y>")
	f.Fuzz(func(t *testing.T, step uint8, code int, msg string) {
		err := classify(steps[int(step)%len(steps)], &textproto.Error{Code: code, Msg: msg})
		switch errcode.Code(err) {
		case errcode.Invalid, errcode.Unavailable, errcode.TooLarge:
		default:
			t.Fatalf("code %q for %d %q", errcode.Code(err), code, msg)
		}
		if strings.Contains(err.Error(), "@") {
			t.Fatalf("%q carries the reply's text", err)
		}
	})
}
