// Package mailer picks how the functions that send mail (the notifier and
// the monthly run) send it, as the stack configured them: SES, or an SMTP
// relay in the regions without SES. Only they link it, so that the
// functions that never mail carry neither client.
package mailer

import (
	"context"
	"fmt"
	"math"
	"strconv"

	"scorecard/shared/aws/ses"
	"scorecard/shared/aws/smtp"
	"scorecard/shared/aws/startup"
	"scorecard/shared/core/mail"
)

// Sender sends a mail and returns its message id: ses.Mailer and
// smtp.Mailer are both one.
type Sender interface {
	Send(ctx context.Context, to []string, m mail.Mail) (messageID string, err error)
}

// New is how a function sends mail: through the SMTP relay SMTP_HOST names
// (SMTP_PORT, 465 unless set, speaks TLS from the start, any other port
// STARTTLS; SMTP_USER logs in with the smtp-password secret, which
// startup.Load then requires) in the regions without SES, else through SES
// (SES_CONFIGURATION_SET). Both send the same MIME message from MAIL_FROM;
// rate is MAIL_RATE, the most mails a second either may send.
func New(c *startup.Config, getenv func(string) string) (s Sender, rate float64, err error) {
	if rate, err = ParseRate(getenv("MAIL_RATE")); err != nil {
		return nil, 0, err
	}
	host := getenv("SMTP_HOST")
	if host == "" {
		return ses.New(ses.Client(c.AWS, c.Env.SESEndpoint), getenv("MAIL_FROM"), getenv("SES_CONFIGURATION_SET")), rate, nil
	}
	port, err := smtp.ParsePort(getenv("SMTP_PORT"))
	if err != nil {
		return nil, 0, err
	}
	m, err := smtp.New(smtp.Config{
		Host: host, Port: port, ImplicitTLS: port == smtp.ImplicitTLSPort,
		User: getenv("SMTP_USER"), Password: c.Secrets.SMTPPassword, From: getenv("MAIL_FROM"),
	})
	if err != nil {
		return nil, 0, err
	}
	return m, rate, nil
}

// ParseRate reads MAIL_RATE, the most mails a second to send: the SES
// account's maximum send rate, or the relay's. Unset is 0, nothing paced
// (the local SES server takes any rate); the stack sets it (mailRate, 1 in
// the SES sandbox).
func ParseRate(v string) (float64, error) {
	if v == "" {
		return 0, nil
	}
	r, err := strconv.ParseFloat(v, 64)
	if err != nil || !(r > 0) || math.IsInf(r, 0) {
		return 0, fmt.Errorf("MAIL_RATE %q: want mails per second above 0", v)
	}
	return r, nil
}
