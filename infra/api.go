package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2integrations"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// accessLogFormat is one JSON object per request, with HTTP API context
// variables only ($context.identity.user and friends are REST API ones).
const accessLogFormat = `{"requestId":"$context.requestId","ip":"$context.identity.sourceIp",` +
	`"requestTime":"$context.requestTime","method":"$context.httpMethod","routeKey":"$context.routeKey",` +
	`"path":"$context.path","status":"$context.status","protocol":"$context.protocol",` +
	`"responseLength":"$context.responseLength","responseLatency":"$context.responseLatency",` +
	`"integrationStatus":"$context.integrationStatus","integrationLatency":"$context.integrationLatency",` +
	`"integrationError":"$context.integrationErrorMessage","userAgent":"$context.identity.userAgent"}`

// newAPI defines the HTTP API with its $default stage: access logs as JSON
// to a log group of their own, and throttling from the configuration. The
// routes are added by addRoutes.
func newAPI(scope constructs.Construct, cfg Config, al alarms) awsapigatewayv2.HttpApi {
	api := awsapigatewayv2.NewHttpApi(scope, jsii.String("Api"), &awsapigatewayv2.HttpApiProps{
		Description:        jsii.String("Aftersales Scorecard: ticket webhooks, survey and assessment links"),
		CreateDefaultStage: jsii.Bool(false),
	})
	logs := awslogs.NewLogGroup(scope, jsii.String("ApiAccessLogs"), &awslogs.LogGroupProps{Retention: logRetention})
	api.AddStage(jsii.String("DefaultStage"), &awsapigatewayv2.HttpStageOptions{
		StageName:  jsii.String("$default"),
		AutoDeploy: jsii.Bool(true),
		Throttle: &awsapigatewayv2.ThrottleSettings{
			RateLimit:  jsii.Number(cfg.APIRateLimit),
			BurstLimit: jsii.Number(cfg.APIBurstLimit),
		},
		AccessLogSettings: &accessLogSettings{
			destination: awsapigatewayv2.NewLogGroupLogDestination(logs),
			format:      awsapigateway.AccessLogFormat_Custom(jsii.String(accessLogFormat)),
		},
	})
	// Senders retry a 5xx (503 when the table is unavailable); a run of
	// them means webhooks are being lost or delayed.
	al.add("Api5xx", "The HTTP API answered 5xx five times or more in 5 minutes",
		api.MetricServerError(&awscloudwatch.MetricOptions{Period: alarmPeriod(), Statistic: jsii.String("Sum")}), 4)
	return api
}

// webhookURL gives the webhook function its own Lambda function URL, open
// to anyone (the function verifies each request's signature or secret and
// answers 401 before anything is stored: routeAuth), with an alarm on its
// 5xx answers as the API has.
func webhookURL(fn awslambda.Function, al alarms) awslambda.FunctionUrl {
	u := fn.AddFunctionUrl(&awslambda.FunctionUrlOptions{AuthType: awslambda.FunctionUrlAuthType_NONE})
	al.add("WebhookUrl5xx", "The webhook function's URL answered 5xx five times or more in 5 minutes",
		fn.Metric(jsii.String("Url5xxCount"), &awscloudwatch.MetricOptions{Period: alarmPeriod(), Statistic: jsii.String("Sum")}), 4)
	return u
}

// accessLogSettings implements awsapigatewayv2.IAccessLogSettings.
type accessLogSettings struct {
	destination awsapigatewayv2.IAccessLogDestination
	format      awsapigateway.AccessLogFormat
}

func (s *accessLogSettings) Destination() awsapigatewayv2.IAccessLogDestination { return s.destination }
func (s *accessLogSettings) Format() awsapigateway.AccessLogFormat              { return s.format }

// routeAuth says, per function, why its routes have no API Gateway
// authorizer: each request proves itself inside the function.
var routeAuth = map[string]string{
	"webhook": "Webhook senders (Zendesk, Jira, Freshdesk, generic) cannot do Cognito or IAM auth; each request is verified in the function by its source's HMAC signature or bearer secret (shared/app/webhook), and rejected with 401 before anything is stored.",
	"forms":   "Survey, assessment and evidence links are opened by customers and engineers from mail, without an account; each URL carries an HMAC-signed, expiring token for one survey, assessment or engineer's month (single-use where it submits), checked in the function.",
}

// addRoutes adds the routes of the table whose function is deployed, one
// Lambda integration per function; the webhooks' only when they are not on
// the function's own URL.
func addRoutes(api awsapigatewayv2.HttpApi, fns map[string]awslambda.Function, cfg Config) {
	integrations := map[string]awsapigatewayv2integrations.HttpLambdaIntegration{}
	for _, r := range routes {
		fn, ok := fns[r.Function]
		if !ok || r.Function == "webhook" && cfg.WebhookEndpoint == webhookEndpointURL {
			continue
		}
		in, ok := integrations[r.Function]
		if !ok {
			in = awsapigatewayv2integrations.NewHttpLambdaIntegration(jsii.String(title(r.Function)+"Integration"), fn, nil)
			integrations[r.Function] = in
		}
		for _, rt := range *api.AddRoutes(&awsapigatewayv2.AddRoutesOptions{
			Path:        jsii.String(r.Path),
			Methods:     &[]awsapigatewayv2.HttpMethod{awsapigatewayv2.HttpMethod(r.Method)},
			Integration: in,
		}) {
			suppress(rt, "AwsSolutions-APIG4", routeAuth[r.Function])
		}
	}
}
