package formtest_test

import (
	"errors"
	"sync"
	"testing"

	"scorecard/shared/core/errcode"
	"scorecard/shared/devkit/formtest"
)

type row struct {
	N    int
	Tags []string
}

func clone(r row) row { r.Tags = append([]string(nil), r.Tags...); return r }

// TestRecords holds the in-memory stores' table to what the stores
// promise: an unknown id is not found, callers get copies, a failed
// change changes nothing, and concurrent changes are all kept.
func TestRecords(t *testing.T) {
	t.Run("an unknown id is not found", func(t *testing.T) {
		var r formtest.Records[row]
		if _, err := r.Of("row", clone).Get("x"); errcode.Code(err) != errcode.NotFound || errcode.Message(err) != "row not found" {
			t.Errorf("Get: %v", err)
		}
		if _, err := r.Of("row", clone).Update("x", func(v row) (row, error) { return v, nil }); errcode.Code(err) != errcode.NotFound {
			t.Errorf("Update: %v", err)
		}
	})
	t.Run("callers get copies", func(t *testing.T) {
		var r formtest.Records[row]
		in := row{Tags: []string{"a"}}
		r.Of("row", clone).Put("x", in)
		in.Tags[0] = "changed after Put"
		got, _ := r.Get("x")
		got.Tags[0] = "changed after Get"
		if again, _ := r.Get("x"); again.Tags[0] != "a" {
			t.Errorf("stored row changed through a caller's copy: %v", again.Tags)
		}
	})
	t.Run("a failed change changes nothing", func(t *testing.T) {
		var r formtest.Records[row]
		r.Of("row", clone).Put("x", row{N: 1})
		if _, err := r.Update("x", func(v row) (row, error) { v.N = 2; return v, errors.New("no") }); err == nil {
			t.Fatal("Update kept going after the change failed")
		}
		if got, _ := r.Get("x"); got.N != 1 {
			t.Errorf("N = %d, want 1", got.N)
		}
	})
	t.Run("concurrent changes are all kept", func(t *testing.T) {
		var r formtest.Records[row]
		r.Of("row", clone).Put("x", row{})
		var wg sync.WaitGroup
		for range 50 {
			wg.Go(func() {
				r.Update("x", func(v row) (row, error) { v.N++; return v, nil })
			})
		}
		wg.Wait()
		if got, _ := r.Get("x"); got.N != 50 {
			t.Errorf("N = %d, want 50", got.N)
		}
	})
}
