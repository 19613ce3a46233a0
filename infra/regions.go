package main

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// regionSupport says whether CloudFormation in a region has what the stack
// needs beyond the services every region has (Lambda, DynamoDB, SQS, SNS,
// CloudWatch, KMS, IAM, EventBridge Scheduler):
type regionSupport struct {
	// ses: AWS::SES::ConfigurationSet and AWS::SES::EmailIdentity, the
	// sender's identity. Without them mail goes through an SMTP relay.
	ses bool
	// httpAPI: AWS::ApiGatewayV2::*, the HTTP API of the webhooks and
	// the forms. Without it the stack cannot be deployed there.
	httpAPI bool
	// noURL: no AWS::Lambda::Url, the webhook function's own URL; the
	// webhooks go through the HTTP API there (webhookEndpoint api).
	noURL bool
}

// regions is every commercial, China and GovCloud region in the per-region
// resource schemas cfn-lint 1.51.0 ships (the CloudFormation resource
// specification AWS publishes for each region), read for the two kinds of
// resource above (and AWS::Lambda::Url). TestRegionsAgreeWithCfnLint checks every entry against
// cfn-lint itself, where it is installed; a region missing here is
// deployed to unchecked, with a warning.
var regions = map[string]regionSupport{
	"af-south-1":     {ses: true, httpAPI: true},
	"ap-east-1":      {ses: false, httpAPI: true},
	"ap-east-2":      {ses: false, httpAPI: false, noURL: true},
	"ap-northeast-1": {ses: true, httpAPI: true},
	"ap-northeast-2": {ses: true, httpAPI: true},
	"ap-northeast-3": {ses: true, httpAPI: true},
	"ap-south-1":     {ses: true, httpAPI: true},
	"ap-south-2":     {ses: true, httpAPI: true, noURL: true},
	"ap-southeast-1": {ses: true, httpAPI: true},
	"ap-southeast-2": {ses: true, httpAPI: true},
	"ap-southeast-3": {ses: true, httpAPI: true},
	"ap-southeast-4": {ses: false, httpAPI: true, noURL: true},
	"ap-southeast-5": {ses: true, httpAPI: true, noURL: true},
	"ap-southeast-6": {ses: false, httpAPI: false, noURL: true},
	"ap-southeast-7": {ses: false, httpAPI: true, noURL: true},
	"ca-central-1":   {ses: true, httpAPI: true},
	"ca-west-1":      {ses: true, httpAPI: true, noURL: true},
	"cn-north-1":     {ses: false, httpAPI: true},
	"cn-northwest-1": {ses: false, httpAPI: true, noURL: true},
	"eu-central-1":   {ses: true, httpAPI: true},
	"eu-central-2":   {ses: true, httpAPI: true, noURL: true},
	"eu-north-1":     {ses: true, httpAPI: true},
	"eu-south-1":     {ses: true, httpAPI: true},
	"eu-south-2":     {ses: false, httpAPI: true, noURL: true},
	"eu-west-1":      {ses: true, httpAPI: true},
	"eu-west-2":      {ses: true, httpAPI: true},
	"eu-west-3":      {ses: true, httpAPI: true},
	"il-central-1":   {ses: true, httpAPI: true, noURL: true},
	"me-central-1":   {ses: true, httpAPI: true, noURL: true},
	"me-south-1":     {ses: true, httpAPI: true},
	"mx-central-1":   {ses: false, httpAPI: true, noURL: true},
	"sa-east-1":      {ses: true, httpAPI: true},
	"us-east-1":      {ses: true, httpAPI: true},
	"us-east-2":      {ses: true, httpAPI: true},
	"us-gov-east-1":  {ses: true, httpAPI: true, noURL: true},
	"us-gov-west-1":  {ses: true, httpAPI: true, noURL: true},
	"us-west-1":      {ses: true, httpAPI: true},
	"us-west-2":      {ses: true, httpAPI: true},
}

var regionRE = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]$`)

// checkRegion refuses a region where the stack cannot be created as
// configured, naming the context key to change; from says where the region
// came from. A region the table does not know is a warning; so is one
// without function URLs, where the webhooks move to the HTTP API.
func checkRegion(region, from string, cfg *Config) (warning string, err error) {
	if !regionRE.MatchString(region) {
		return "", fmt.Errorf("context %s: %q (%s) is not a region name such as ap-southeast-1", ctxRegion, region, from)
	}
	r, known := regions[region]
	switch {
	case !known:
		return fmt.Sprintf("region %s (%s) is not in the table of regions (infra/regions.go): whether it has SES and HTTP APIs was not checked", region, from), nil
	case !r.httpAPI:
		return "", fmt.Errorf("context %s: %s (%s) has no API Gateway HTTP APIs (AWS::ApiGatewayV2) in CloudFormation, which the webhooks and forms need; deploy to another region (with a plan in the region's time zone), such as one of %s",
			ctxRegion, region, from, strings.Join(nearby(region), ", "))
	case !r.ses && !cfg.SMTP():
		return "", fmt.Errorf("context %s: %s (%s) has no SES in CloudFormation, so mail must go out through an SMTP relay: set %s (and %s, %s), and put the relay's password in SSM at %s/smtp-password (README: Regions without SES)",
			ctxSMTPHost, region, from, ctxSMTPHost, ctxSMTPUser, ctxSMTPPort, cfg.SecretsPrefix)
	case r.noURL && cfg.WebhookEndpoint == webhookEndpointURL:
		cfg.WebhookEndpoint = webhookEndpointAPI
		return fmt.Sprintf("region %s (%s) has no Lambda function URLs (AWS::Lambda::Url) in CloudFormation: the webhooks are a route of the HTTP API there (%s %s)", region, from, ctxWebhookEndpoint, webhookEndpointAPI), nil
	}
	return "", nil
}

// nearby are the regions with everything the stack needs in the same
// partition and area as region (ap-east-2: ap-*), for the refusal to
// suggest.
func nearby(region string) []string {
	area := region[:strings.Index(region, "-")]
	var out []string
	for name, r := range regions {
		if r.httpAPI && r.ses && strings.HasPrefix(name, area+"-") && !strings.Contains(name, "gov") {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}
