package mailer_test

import (
	"context"
	"fmt"
	"maps"
	"net/http/httptest"
	"strings"
	"testing"

	"scorecard/shared/aws/mailer"
	"scorecard/shared/aws/startup"
	"scorecard/shared/devkit/ssmfake"
)

// TestMailerFollowsTheStack: SES unless SMTP_HOST names a relay; a relay
// with a user needs the smtp-password secret, named when it is missing.
func TestMailerFollowsTheStack(t *testing.T) {
	ssm := httptest.NewServer(&ssmfake.Server{Params: map[string]string{
		"/with/link-signing-key": "k", "/with/smtp-password": "p",
		"/without/link-signing-key": "k",
	}})
	defer ssm.Close()
	base := map[string]string{
		"AWS_REGION": "cn-north-1", "AWS_ACCESS_KEY_ID": "dummykey", "AWS_SECRET_ACCESS_KEY": "dummysecret",
		"AWS_ENDPOINT_URL_SSM": ssm.URL, "TABLE_NAME": "t", "MAIL_FROM": "Scorecard <s@mail.acme.cn>", "MAIL_RATE": "2",
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string // the sender's type, or the error's words
	}{
		{"SES", map[string]string{"SECRETS_PREFIX": "/without"}, "*ses.Mailer"},
		{"a relay with a login", map[string]string{"SECRETS_PREFIX": "/with", "SMTP_HOST": "smtpdm.aliyun.com", "SMTP_USER": "u"}, "*smtp.Mailer"},
		{"a relay without a login", map[string]string{"SECRETS_PREFIX": "/without", "SMTP_HOST": "relay.acme.cn", "SMTP_PORT": "587"}, "*smtp.Mailer"},
		{"a relay whose password is missing", map[string]string{"SECRETS_PREFIX": "/without", "SMTP_HOST": "smtpdm.aliyun.com", "SMTP_USER": "u"}, "secrets missing: /without/smtp-password"},
		{"a bad port", map[string]string{"SECRETS_PREFIX": "/with", "SMTP_HOST": "relay.acme.cn", "SMTP_PORT": "smtps"}, `SMTP_PORT "smtps"`},
		{"a bad rate", map[string]string{"SECRETS_PREFIX": "/with", "MAIL_RATE": "fast"}, `MAIL_RATE "fast"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := maps.Clone(base)
			maps.Copy(env, tc.env)
			getenv := func(k string) string { return env[k] }
			var got string
			c, err := startup.Load(context.Background(), getenv, []string{"MAIL_FROM"}, "link-signing-key")
			if err == nil {
				var s mailer.Sender
				var rate float64
				if s, rate, err = mailer.New(c, getenv); err == nil {
					got = fmt.Sprintf("%T", s)
					if rate != 2 {
						t.Errorf("rate %v, want MAIL_RATE's 2", rate)
					}
				}
			}
			if err != nil {
				got = err.Error()
			}
			if !strings.Contains(got, tc.want) {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}
