// Package secrets owns the product's secrets: the webhook secret of each
// source, the key that signs links in mail, and the ticketing systems' API
// credentials (for customers' addresses the webhooks leave out). In AWS they are SSM
// SecureString parameters under one path, read once when a function starts;
// a function refuses to start when one it needs is missing. Only the local
// gateway (`scorecard serve`) may fall back to the well-known dev secrets.
package secrets

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"scorecard/shared/core/records"
	"scorecard/shared/source"
	"scorecard/shared/source/vendorapi"
)

// Sources whose webhooks are signed with a secret: every system of the
// source registry and the people records route.
var Sources = append(source.Names(), records.Source)

// APISources are the ticketing systems whose API can give a customer's
// address (the registry's source.WithAPI): <prefix>/api/<source> holds
// their credentials as JSON,
// {"base_url": "https://acme.zendesk.com", "user": "…", "token": "…"}.
var APISources = source.WithAPI()

// Secrets holds every secret.
type Secrets struct {
	Webhook    map[string][]byte                // source → webhook secret
	SigningKey []byte                           // signs survey and assessment links
	API        map[string]vendorapi.Credentials // source → API credentials, where configured
	// SMTPPassword logs in to the SMTP relay, where mail goes out through
	// one (<prefix>/smtp-password).
	SMTPPassword string
}

// Dev returns the local development secrets of DESIGN §5:
// dev-<source>-secret and dev-signing-key.
func Dev() Secrets {
	s := Secrets{Webhook: map[string][]byte{}, SigningKey: []byte("dev-signing-key")}
	for _, src := range Sources {
		s.Webhook[src] = []byte("dev-" + src + "-secret")
	}
	return s
}

// ParameterStore is the part of SSM that reads parameters.
type ParameterStore interface {
	GetParametersByPath(context.Context, *ssm.GetParametersByPathInput, ...func(*ssm.Options)) (*ssm.GetParametersByPathOutput, error)
}

// Load reads the secrets under prefix: <prefix>/webhook/<source>,
// <prefix>/link-signing-key, <prefix>/api/<source> and
// <prefix>/smtp-password. need names the ones the caller cannot run
// without ("webhook/zendesk", "link-signing-key", …); a missing one is an
// error naming it (never its value).
func Load(ctx context.Context, ps ParameterStore, prefix string, need ...string) (Secrets, error) {
	prefix = "/" + strings.Trim(prefix, "/")
	values := map[string]string{}
	p := ssm.NewGetParametersByPathPaginator(ps, &ssm.GetParametersByPathInput{
		Path: aws.String(prefix), Recursive: aws.Bool(true), WithDecryption: aws.Bool(true),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return Secrets{}, fmt.Errorf("read secrets under %s: %w", prefix, err)
		}
		for _, prm := range page.Parameters {
			values[strings.TrimPrefix(aws.ToString(prm.Name), prefix+"/")] = aws.ToString(prm.Value)
		}
	}
	s := Secrets{Webhook: map[string][]byte{}}
	for _, src := range Sources {
		if v := values["webhook/"+src]; v != "" {
			s.Webhook[src] = []byte(v)
		}
	}
	if v := values["link-signing-key"]; v != "" {
		s.SigningKey = []byte(v)
	}
	s.SMTPPassword = values["smtp-password"]
	s.API = map[string]vendorapi.Credentials{}
	for _, src := range APISources {
		v := values["api/"+src]
		if v == "" {
			continue
		}
		c, err := ParseAPI(v)
		if err != nil {
			return Secrets{}, fmt.Errorf("%s/api/%s: %w", prefix, src, err)
		}
		s.API[src] = c
	}
	var missing []string
	for _, n := range need {
		if values[n] == "" {
			missing = append(missing, prefix+"/"+n)
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return Secrets{}, fmt.Errorf("secrets missing: %s", strings.Join(missing, ", "))
	}
	return s, nil
}

// ParseAPI reads API credentials: {"base_url", "user", "token"}. The error
// names what is wrong, never a value.
func ParseAPI(v string) (vendorapi.Credentials, error) {
	var c vendorapi.Credentials
	if err := json.Unmarshal([]byte(v), &c); err != nil {
		return c, fmt.Errorf(`not JSON like {"base_url": "https://…", "user": "…", "token": "…"}`)
	}
	if err := c.Valid(); err != nil {
		return c, err
	}
	return c, nil
}

// SSM adapts an SSM client to ParameterStore, forwarding the one operation
// Load uses as a method value, so that the client itself is never held in
// an interface or a field: a
// function that executes a template would otherwise link every SSM
// operation (see dynamo.SDK).
func SSM(c *ssm.Client) ParameterStore { return ssmClient(c.GetParametersByPath) }

type ssmClient func(context.Context, *ssm.GetParametersByPathInput, ...func(*ssm.Options)) (*ssm.GetParametersByPathOutput, error)

func (f ssmClient) GetParametersByPath(ctx context.Context, in *ssm.GetParametersByPathInput, opts ...func(*ssm.Options)) (*ssm.GetParametersByPathOutput, error) {
	return f(ctx, in, opts...)
}
