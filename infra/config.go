package main

import (
	"errors"
	"fmt"
	"math"
	"net/mail"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // validate timeZone against the IANA database, whatever the host has

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// Context keys. /cdk.json sets each to its default so that an operator sees
// every knob in one place; `-c key=value` on the CDK CLI overrides one.
const (
	ctxMailFrom            = "mailFrom"
	ctxSESIdentity         = "sesIdentity"
	ctxSandboxRecipients   = "sandboxRecipients"
	ctxBaseURL             = "baseUrl"
	ctxTimeZone            = "timeZone"
	ctxMonthlySchedule     = "monthlySchedule"
	ctxRoundSchedule       = "roundSchedule"
	ctxAlarmEmail          = "alarmEmail"
	ctxSecretsPrefix       = "secretsPrefix"
	ctxWebhookConcurrency  = "webhookConcurrency"
	ctxFormsConcurrency    = "formsConcurrency"
	ctxMonthlyConcurrency  = "monthlyConcurrency"
	ctxNotifierConcurrency = "notifierConcurrency"
	ctxAPIRateLimit        = "apiRateLimit"
	ctxWebhookEndpoint     = "webhookEndpoint"
	ctxMailRate            = "mailRate"
	// ctxAllowExampleSender lets a sender on a reserved example domain
	// through, for synthesis alone (make synth, the tests): no mail could
	// ever leave from it.
	ctxAllowExampleSender = "allowExampleSender"
	ctxAPIBurstLimit      = "apiBurstLimit"
	// ctxRegion is the region to deploy to; unset, the AWS profile's
	// (CDK_DEFAULT_REGION, which the CDK CLI sets).
	ctxRegion = "region"
	// The SMTP relay mail goes out through instead of SES (the regions
	// without SES): host, port and user; the password is the smtp-password
	// secret.
	ctxSMTPHost = "smtpHost"
	ctxSMTPPort = "smtpPort"
	ctxSMTPUser = "smtpUser"
)

// Defaults of the context keys.
const (
	defaultMailFrom        = "scorecard@example.com"
	defaultTimeZone        = "Asia/Shanghai" // the shipped policy's time_zone
	defaultMonthlySchedule = "cron(0 6 1 * ? *)"
	defaultRoundSchedule   = "cron(0 9 * * ? *)"
	defaultSecretsPrefix   = "/scorecard"
	defaultAPIRateLimit    = 50
	// The webhooks' endpoint: the webhook function's own URL ("url"), or
	// a route of the HTTP API ("api").
	webhookEndpointURL   = "url"
	webhookEndpointAPI   = "api"
	defaultMailRate      = 1 // the SES sandbox's maximum send rate
	defaultAPIBurstLimit = 100
	defaultSMTPPort      = 465 // TLS from the first byte (RFC 8314)
)

// Config is the deployment configuration read from CDK context.
type Config struct {
	// MailFrom is the sender of every mail (MAIL_FROM): an address, with or
	// without a display name.
	MailFrom string
	// SESIdentity is the domain verified in SES for the sender. Empty: the
	// sender's address itself is the identity (SES mails it a verification
	// link), which is enough for a trial but not for DKIM-signed mail.
	SESIdentity string
	// SandboxRecipients are addresses verified as SES identities so that
	// mail reaches them while the account is still in the SES sandbox.
	SandboxRecipients []string
	// BaseURL is the public https URL that signed links in mail start with
	// (BASE_URL), without a trailing slash. Empty: the HTTP API's own URL.
	BaseURL string
	// TimeZone is the IANA zone the schedules fire in; it should be the
	// policy's time_zone.
	TimeZone string
	// MonthlySchedule is the EventBridge Scheduler expression of the monthly
	// run, in TimeZone.
	MonthlySchedule string
	// RoundSchedule is when the daily jobs look at the day: the assessment
	// round (on the policy's day it starts the round, later it sends
	// reminders) and the mid-month check-in (on the policy's check-in days).
	RoundSchedule string
	// AlarmEmail, when set, is subscribed to the alarm topic.
	AlarmEmail string
	// SecretsPrefix is the SSM Parameter Store path of the secrets
	// (SECRETS_PREFIX): "/" and segments, no trailing slash.
	SecretsPrefix string
	// WebhookConcurrency, FormsConcurrency, MonthlyConcurrency and
	// NotifierConcurrency are the functions' reserved concurrency; 0 (the
	// default) leaves a function unreserved. Reserving takes from the
	// account's concurrency limit, of which Lambda keeps 100 unreserved, so
	// a new account (a limit of 10 is common) can deploy only with none
	// reserved; the HTTP API's throttling bounds the webhooks meanwhile.
	// With a raised limit, reserving bounds how many copies can write to the
	// table at once (the webhook's against a redelivery storm; the monthly
	// run's to one at a time).
	WebhookConcurrency  int
	FormsConcurrency    int
	MonthlyConcurrency  int
	NotifierConcurrency int
	// MailRate is the most mails a second the notifier and the monthly run
	// send (MAIL_RATE): the SES account's maximum send rate, 1 in the
	// sandbox.
	MailRate float64
	// WebhookEndpoint is where the ticketing systems post: "url" (the
	// default), the webhook function's own Lambda function URL, which
	// costs nothing per request (API Gateway's $1 per million was the
	// largest cost after the table's writes, make demo) and needs nothing
	// API Gateway adds, since the function verifies every request's
	// signature itself; or "api", a route of the HTTP API, for an
	// organisation whose guardrails refuse public function URLs (Security
	// Hub's Lambda.1), or that wants the API's throttling and access logs
	// in front of the webhooks too. With "url", the webhook function's
	// reserved concurrency (webhookConcurrency) is what bounds a storm.
	WebhookEndpoint string
	// APIRateLimit and APIBurstLimit throttle the HTTP API's default stage
	// (requests per second, and the bucket size).
	APIRateLimit  float64
	APIBurstLimit int
	// Region, when set, binds the stack to that region; unset, the stack
	// stays region-agnostic and goes where the CLI deploys it.
	Region string
	// SMTPHost, when set, sends mail through that relay instead of SES
	// (SMTP_HOST; the stack then has no SES resources): SMTPPort 465 speaks
	// TLS from the start, any other port STARTTLS; SMTPUser logs in with the
	// password at <SecretsPrefix>/smtp-password.
	SMTPHost string
	SMTPPort int
	SMTPUser string
	// Warnings are what synthesis should say without failing.
	Warnings []string
}

// SMTP reports whether mail goes through an SMTP relay rather than SES.
func (c Config) SMTP() bool { return c.SMTPHost != "" }

// SenderAddress is the bare address of MailFrom.
func (c Config) SenderAddress() string {
	a, err := mail.ParseAddress(c.MailFrom)
	if err != nil {
		return c.MailFrom
	}
	return a.Address
}

// Identity is the SES identity the functions send as: the domain when one is
// configured, else the sender's address.
func (c Config) Identity() string {
	if c.SESIdentity != "" {
		return c.SESIdentity
	}
	return c.SenderAddress()
}

var (
	// A path of Parameter Store: "/" then segments of its allowed characters.
	secretsPrefixRE = regexp.MustCompile(`^(/[A-Za-z0-9_.-]+)+$`)
	domainRE        = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
	rateRE          = regexp.MustCompile(`^rate\([1-9][0-9]* (minute|minutes|hour|hours|day|days)\)$`)
	cronRE          = regexp.MustCompile(`^cron\(([^ ()]+( [^ ()]+){5})\)$`)
)

// configFromContext reads Config from the CDK context of scope, falling back
// to the defaults, and rejects values that would only fail at deploy time
// (or, worse, at 06:00 on the 1st). Every error names its context key.
func configFromContext(scope constructs.Construct) (Config, error) {
	var errs []error
	fail := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("context %s: "+format, append([]any{key}, args...)...))
	}
	raw := func(key string) any { return scope.Node().TryGetContext(jsii.String(key)) }
	str := func(key, def string) string {
		switch v := raw(key).(type) {
		case nil:
			return def
		case string:
			return strings.TrimSpace(v)
		default:
			fail(key, "want a string, got %T", v)
			return def
		}
	}
	// Numbers come as JSON numbers from cdk.json and as strings from -c.
	num := func(key string, def float64) float64 {
		switch v := raw(key).(type) {
		case nil:
			return def
		case float64:
			return v
		case string:
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				fail(key, "%q is not a number", v)
				return def
			}
			return f
		default:
			fail(key, "want a number, got %T", v)
			return def
		}
	}
	integer := func(key string, def, lo, hi int) int {
		f := num(key, float64(def))
		if f != math.Trunc(f) || f < float64(lo) || f > float64(hi) {
			fail(key, "%v: want a whole number from %d to %d", f, lo, hi)
			return def
		}
		return int(f)
	}
	// Lists come as JSON arrays from cdk.json and comma-separated from -c.
	list := func(key string) []string {
		var items []string
		switch v := raw(key).(type) {
		case nil:
		case string:
			items = strings.Split(v, ",")
		case []any:
			for _, e := range v {
				s, ok := e.(string)
				if !ok {
					fail(key, "want a list of strings, got a %T in it", e)
					return nil
				}
				items = append(items, s)
			}
		default:
			fail(key, "want a list of strings, got %T", v)
		}
		var out []string
		for _, s := range items {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
		return out
	}

	cfg := Config{
		MailFrom:            str(ctxMailFrom, defaultMailFrom),
		SESIdentity:         strings.ToLower(strings.TrimSuffix(str(ctxSESIdentity, ""), ".")),
		SandboxRecipients:   list(ctxSandboxRecipients),
		BaseURL:             strings.TrimSuffix(str(ctxBaseURL, ""), "/"),
		TimeZone:            str(ctxTimeZone, defaultTimeZone),
		MonthlySchedule:     str(ctxMonthlySchedule, defaultMonthlySchedule),
		RoundSchedule:       str(ctxRoundSchedule, defaultRoundSchedule),
		AlarmEmail:          str(ctxAlarmEmail, ""),
		SecretsPrefix:       strings.TrimSuffix(str(ctxSecretsPrefix, defaultSecretsPrefix), "/"),
		WebhookConcurrency:  integer(ctxWebhookConcurrency, 0, 0, 1000),
		FormsConcurrency:    integer(ctxFormsConcurrency, 0, 0, 1000),
		MonthlyConcurrency:  integer(ctxMonthlyConcurrency, 0, 0, 1000),
		NotifierConcurrency: integer(ctxNotifierConcurrency, 0, 0, 1000),
		APIRateLimit:        num(ctxAPIRateLimit, defaultAPIRateLimit),
		WebhookEndpoint:     strings.ToLower(str(ctxWebhookEndpoint, webhookEndpointURL)),
		MailRate:            num(ctxMailRate, defaultMailRate),
		APIBurstLimit:       integer(ctxAPIBurstLimit, defaultAPIBurstLimit, 1, 5000),
		Region:              strings.ToLower(str(ctxRegion, "")),
		SMTPHost:            strings.ToLower(strings.TrimSuffix(str(ctxSMTPHost, ""), ".")),
		SMTPPort:            integer(ctxSMTPPort, defaultSMTPPort, 1, 65535),
		SMTPUser:            str(ctxSMTPUser, ""),
	}

	// Sender and SES identity.
	sender, err := mail.ParseAddress(cfg.MailFrom)
	if err != nil {
		fail(ctxMailFrom, "%q: %v", cfg.MailFrom, err)
	}
	if allow := fmt.Sprint(raw(ctxAllowExampleSender)); sender != nil && exampleDomain(sender.Address) && allow != "true" {
		fail(ctxMailFrom, "%s is on a domain reserved for examples: neither SES nor a relay will send from it, so the stack would deploy and every mail fail. Set mailFrom to your sender (to synthesize only, -c %s=true)", sender.Address, ctxAllowExampleSender)
	}
	if cfg.SESIdentity != "" {
		if !domainRE.MatchString(cfg.SESIdentity) {
			fail(ctxSESIdentity, "%q is not a domain name such as example.com", cfg.SESIdentity)
		} else if sender != nil {
			domain := strings.ToLower(sender.Address[strings.LastIndex(sender.Address, "@")+1:])
			if domain != cfg.SESIdentity && !strings.HasSuffix(domain, "."+cfg.SESIdentity) {
				fail(ctxSESIdentity, "%q does not cover the sender %s (%s): use the sender's domain or a parent of it", cfg.SESIdentity, sender.Address, ctxMailFrom)
			}
		}
	}
	seen := map[string]bool{}
	for _, r := range cfg.SandboxRecipients {
		a, err := mail.ParseAddress(r)
		switch {
		case err != nil || a.Name != "" || a.Address != r:
			fail(ctxSandboxRecipients, "%q is not a bare e-mail address", r)
		case sender != nil && strings.EqualFold(r, sender.Address):
			// A second identity for the sender would be the one SES
			// authorizes against, and the grant names the configured one.
			fail(ctxSandboxRecipients, "%q is the sender, which is an identity already", r)
		case seen[strings.ToLower(r)]:
			fail(ctxSandboxRecipients, "%q is listed twice", r)
		}
		seen[strings.ToLower(r)] = true
	}

	// The SMTP relay, and the SES settings it makes pointless.
	if cfg.SMTP() {
		if !domainRE.MatchString(cfg.SMTPHost) {
			fail(ctxSMTPHost, "%q is not a host name such as smtpdm.aliyun.com", cfg.SMTPHost)
		}
		if cfg.SESIdentity != "" {
			fail(ctxSESIdentity, "has no use when mail goes through the relay %s (%s): leave it out", cfg.SMTPHost, ctxSMTPHost)
		}
		if len(cfg.SandboxRecipients) > 0 {
			fail(ctxSandboxRecipients, "have no use when mail goes through the relay %s (%s): leave them out", cfg.SMTPHost, ctxSMTPHost)
		}
	} else {
		if cfg.SMTPUser != "" {
			fail(ctxSMTPUser, "is set but %s is not: name the relay too", ctxSMTPHost)
		}
	}
	if cfg.SMTPUser != "" && strings.ContainsAny(cfg.SMTPUser, " \t\r\n") {
		fail(ctxSMTPUser, "%q: a user name has no spaces", cfg.SMTPUser)
	}

	// Region, when chosen here.
	if cfg.Region != "" {
		if warning, err := checkRegion(cfg.Region, "context "+ctxRegion, &cfg); err != nil {
			errs = append(errs, err)
		} else if warning != "" {
			cfg.Warnings = append(cfg.Warnings, warning)
		}
	}

	// Links.
	if cfg.BaseURL != "" {
		if u, err := url.Parse(cfg.BaseURL); err != nil {
			fail(ctxBaseURL, "%v", err)
		} else if u.Scheme != "https" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			fail(ctxBaseURL, "%q: want an absolute https URL such as https://scorecard.example.com, or nothing for the API's own URL", cfg.BaseURL)
		}
	}

	// Schedules. "Local" and "" are accepted by time.LoadLocation but are
	// not IANA names that EventBridge Scheduler understands.
	if cfg.TimeZone == "" || cfg.TimeZone == "Local" {
		fail(ctxTimeZone, "%q is not an IANA time zone", cfg.TimeZone)
	} else if _, err := time.LoadLocation(cfg.TimeZone); err != nil {
		fail(ctxTimeZone, "%v", err)
	}
	if err := checkScheduleExpression(cfg.MonthlySchedule); err != nil {
		fail(ctxMonthlySchedule, "%q: %v", cfg.MonthlySchedule, err)
	}
	if err := checkScheduleExpression(cfg.RoundSchedule); err != nil {
		fail(ctxRoundSchedule, "%q: %v", cfg.RoundSchedule, err)
	}

	// Alarms.
	if cfg.AlarmEmail != "" {
		if a, err := mail.ParseAddress(cfg.AlarmEmail); err != nil || a.Name != "" || a.Address != cfg.AlarmEmail {
			fail(ctxAlarmEmail, "%q is not a bare e-mail address", cfg.AlarmEmail)
		}
	}

	// Secrets: SSM reserves the aws and ssm prefixes.
	if !secretsPrefixRE.MatchString(cfg.SecretsPrefix) {
		fail(ctxSecretsPrefix, "%q: want a Parameter Store path such as %s", cfg.SecretsPrefix, defaultSecretsPrefix)
	} else if first := strings.ToLower(strings.SplitN(cfg.SecretsPrefix[1:], "/", 2)[0]); strings.HasPrefix(first, "aws") || strings.HasPrefix(first, "ssm") {
		fail(ctxSecretsPrefix, "%q: paths starting with aws or ssm are reserved by Parameter Store", cfg.SecretsPrefix)
	}

	if cfg.WebhookEndpoint != webhookEndpointURL && cfg.WebhookEndpoint != webhookEndpointAPI {
		fail(ctxWebhookEndpoint, "%q: want %q (the webhook function's URL) or %q (a route of the HTTP API)", cfg.WebhookEndpoint, webhookEndpointURL, webhookEndpointAPI)
	}

	// Throttling: API Gateway takes a rate from 0 (exclusive) to 10 000.
	if cfg.APIRateLimit <= 0 || cfg.APIRateLimit > 10000 {
		fail(ctxAPIRateLimit, "%v: want requests per second above 0 and at most 10000", cfg.APIRateLimit)
	}
	if !(cfg.MailRate > 0) || cfg.MailRate > 10000 {
		fail(ctxMailRate, "%v: want mails per second above 0 (1 in the SES sandbox) and at most 10000", cfg.MailRate)
	}

	if len(errs) > 0 {
		return Config{}, errors.Join(errs...)
	}
	return cfg, nil
}

// checkScheduleExpression accepts the recurring forms of EventBridge
// Scheduler: rate(n unit) and cron(min hour day-of-month month day-of-week
// year) with exactly one of the two day fields "?".
func checkScheduleExpression(expr string) error {
	if rateRE.MatchString(expr) {
		return nil
	}
	m := cronRE.FindStringSubmatch(expr)
	if m == nil {
		return errors.New(`want cron(minutes hours day-of-month month day-of-week year) or rate(n unit), such as ` + defaultMonthlySchedule)
	}
	f := strings.Fields(m[1])
	if (f[2] == "?") == (f[4] == "?") {
		return errors.New(`exactly one of day-of-month and day-of-week must be "?"`)
	}
	return nil
}

// exampleDomain reports whether an address is on a domain reserved for
// documentation and tests (RFC 2606, RFC 6761): example.com, .net, .org and
// their subdomains, and the .example, .test, .invalid and .localhost TLDs.
func exampleDomain(address string) bool {
	domain := strings.ToLower(strings.TrimSuffix(address[strings.LastIndex(address, "@")+1:], "."))
	for _, d := range []string{"example.com", "example.net", "example.org", "example", "test", "invalid", "localhost"} {
		if domain == d || strings.HasSuffix(domain, "."+d) {
			return true
		}
	}
	return false
}
