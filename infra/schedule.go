package main

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsscheduler"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsschedulertargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// newSchedule defines one EventBridge Scheduler schedule in the configured
// time zone. Scheduler retries an invocation it could not deliver (3 times
// within an hour) and then parks the event in the dead-letter queue; the
// invocation is asynchronous, so the function's own failures go through
// Lambda's retries to the same queue (newFunction).
func newSchedule(scope constructs.Construct, s schedule, cfg Config, fn awslambda.Function, dlq awssqs.IQueue) awsscheduler.Schedule {
	stack := awscdk.Stack_Of(scope)
	// A role of the schedule's own, which only this account's schedules
	// may assume (the confused-deputy condition Scheduler documents).
	role := awsiam.NewRole(scope, jsii.String(s.Name+"ScheduleRole"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("scheduler.amazonaws.com"), &awsiam.ServicePrincipalOpts{
			Conditions: &map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": stack.Account()}},
		}),
		Description: jsii.String("Lets EventBridge Scheduler invoke the " + s.Function + " function"),
	})
	sched := awsscheduler.NewSchedule(scope, jsii.String(s.Name+"Schedule"), &awsscheduler.ScheduleProps{
		Description: jsii.String(s.Description),
		Schedule:    awsscheduler.ScheduleExpression_Expression(jsii.String(s.Expression(cfg)), awscdk.TimeZone_Of(jsii.String(cfg.TimeZone))),
		TimeWindow:  awsscheduler.TimeWindow_Off(),
		Target: awsschedulertargets.NewLambdaInvoke(fn, &awsschedulertargets.ScheduleTargetBaseProps{
			Input:           awsscheduler.ScheduleTargetInput_FromText(jsii.String(s.Input)),
			RetryAttempts:   jsii.Number(3),
			MaxEventAge:     awscdk.Duration_Hours(jsii.Number(1)),
			DeadLetterQueue: dlq,
			Role:            role,
		}),
	})
	fnID := *stack.GetLogicalId(fn.Node().DefaultChild().(awscdk.CfnElement))
	suppress(role, "AwsSolutions-IAM5",
		"Added by the scheduler target's grantInvoke, which covers the function's versions and aliases ("+fnID+".Arn:*); the schedule invokes the unqualified function, and no other function is reachable.",
		fmt.Sprintf("Resource::<%s.Arn>:*", fnID))
	return sched
}
