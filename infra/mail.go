package main

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsses"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// mailing is SES sending: the identity the functions send as, the
// configuration set every mail names, and the identities of recipients
// verified for a trial in the SES sandbox.
type mailing struct {
	Identity          awsses.EmailIdentity
	ConfigurationSet  awsses.ConfigurationSet
	SandboxRecipients []awsses.EmailIdentity
}

// newMail defines the sender's identity: the domain of sesIdentity (Easy
// DKIM; the stack outputs the three CNAME records to publish) or, without
// one, the sender's address (SES mails it a verification link).
func newMail(scope constructs.Construct, cfg Config) mailing {
	cs := awsses.NewConfigurationSet(scope, jsii.String("MailConfigurationSet"), &awsses.ConfigurationSetProps{
		ReputationMetrics:  jsii.Bool(true),
		SendingEnabled:     jsii.Bool(true),
		SuppressionReasons: awsses.SuppressionReasons_BOUNCES_AND_COMPLAINTS,
	})
	identity := awsses.Identity_Email(jsii.String(cfg.SenderAddress()))
	if cfg.SESIdentity != "" {
		identity = awsses.Identity_Domain(jsii.String(cfg.SESIdentity))
	}
	m := mailing{
		ConfigurationSet: cs,
		Identity: awsses.NewEmailIdentity(scope, jsii.String("MailIdentity"), &awsses.EmailIdentityProps{
			Identity:         identity,
			ConfigurationSet: cs,
		}),
	}
	for i, addr := range cfg.SandboxRecipients {
		m.SandboxRecipients = append(m.SandboxRecipients, awsses.NewEmailIdentity(scope, jsii.String(fmt.Sprintf("SandboxRecipient%d", i+1)), &awsses.EmailIdentityProps{
			Identity: awsses.Identity_Email(jsii.String(addr)),
		}))
	}
	return m
}

// grantSend lets the role send mail (SES v2 SendEmail, raw content
// included) as the identity through the configuration set. In the sandbox
// SES also authorizes against each recipient's identity, hence the sandbox
// recipients.
func (m mailing) grantSend(role awsiam.IRole) {
	m.Identity.GrantSendEmail(role)
	for _, r := range m.SandboxRecipients {
		r.GrantSendEmail(role)
	}
	stack := awscdk.Stack_Of(m.ConfigurationSet)
	awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee: role,
		Actions: jsii.Strings("ses:SendEmail", "ses:SendRawEmail"),
		ResourceArns: jsii.Strings(*stack.FormatArn(&awscdk.ArnComponents{
			Service:      jsii.String("ses"),
			Resource:     jsii.String("configuration-set"),
			ResourceName: m.ConfigurationSet.ConfigurationSetName(),
		})),
	})
}
