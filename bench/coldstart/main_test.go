package main

import (
	"reflect"
	"testing"
	"time"
)

func TestParseInitTrace(t *testing.T) {
	tests := []struct {
		name   string
		stderr string
		want   []pkgInit
	}{
		{
			name: "init lines are read and the function's own log is ignored",
			stderr: "init internal/bytealg @0.007 ms, 0 ms clock, 0 bytes, 0 allocs\n" +
				"init github.com/aws/aws-sdk-go-v2/service/ssm/schemas @3.1 ms, 1.30 ms clock, 412000 bytes, 5100 allocs\n" +
				`{"level":"ERROR","msg":"init failed"}` + "\n",
			want: []pkgInit{
				{Package: "internal/bytealg", ClockMS: 0, Bytes: 0},
				{Package: "github.com/aws/aws-sdk-go-v2/service/ssm/schemas", ClockMS: 1.30, Bytes: 412000},
			},
		},
		{name: "no trace", stderr: "started\n", want: nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := parseInitTrace([]byte(tc.stderr)); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestQuantiles(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		var out []time.Duration
		for _, x := range v {
			out = append(out, time.Duration(x)*time.Millisecond)
		}
		return out
	}
	tests := []struct {
		name     string
		sample   []time.Duration
		p50, p90 time.Duration
	}{
		{"one start", ms(7), 7 * time.Millisecond, 7 * time.Millisecond},
		{"an even sample's median is between the middle two", ms(4, 1, 3, 2), 2500 * time.Microsecond, 4 * time.Millisecond},
		{"p90 of ten is the ninth", ms(10, 9, 8, 7, 6, 5, 4, 3, 2, 1), 5500 * time.Microsecond, 9 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := median(tc.sample); got != tc.p50 {
				t.Errorf("median = %v, want %v", got, tc.p50)
			}
			if got := nearestRank(tc.sample, 0.9); got != tc.p90 {
				t.Errorf("p90 = %v, want %v", got, tc.p90)
			}
		})
	}
}
