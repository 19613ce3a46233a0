package notifier

import (
	"context"
	"sync"
	"time"

	"scorecard/shared/core/directory"
)

// DirectoryEngineers answers Engineers from the engineer directory, read
// again after TTL (an import shows within minutes without a read per
// ticket).
type DirectoryEngineers struct {
	Load func(ctx context.Context) ([]directory.Engineer, error)
	TTL  time.Duration
	Now  func() time.Time

	mu   sync.Mutex
	dir  *directory.Directory
	read time.Time
}

// IsEngineer implements Engineers.
func (d *DirectoryEngineers) IsEngineer(ctx context.Context, source, id string) (bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if now := d.Now(); d.dir == nil || now.Sub(d.read) >= d.TTL {
		engineers, err := d.Load(ctx)
		if err != nil {
			return false, err
		}
		d.dir, d.read = directory.New(engineers), now
	}
	_, ok := d.dir.Lookup(source, id)
	return ok, nil
}
