package session

import (
	"context"
	"runtime"
	"sync"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/session/fetch"
)

// OpenProfile reads path: a file, or a profile URL fetched with opt.
func OpenProfile(ctx context.Context, path string, opt fetch.Options) (*model.Profile, error) {
	if fetch.IsRemote(path) {
		return fetch.Profile(ctx, path, opt)
	}
	return model.Load(path)
}

// OpenStacks reads path's stacks for the sample type sampleSpec names, at
// granularity g, streamed where it can be (model.OpenStacks,
// fetch.Stacks): what a table or a first view needs, without the whole
// profile.
func OpenStacks(ctx context.Context, path, sampleSpec string, g model.Granularity, opt fetch.Options) (*model.Streamed, error) {
	if fetch.IsRemote(path) {
		return fetch.Stacks(ctx, path, sampleSpec, g, opt)
	}
	return model.OpenStacks(path, sampleSpec, g)
}

// openPair opens the base profile openBase reads and, in parallel, the
// new one openNew reads.
func openPair(ctx context.Context, openBase, openNew func(context.Context) (*model.Profile, error)) (base, newP *model.Profile, err error) {
	var baseErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		base, baseErr = openBase(ctx)
	}()
	newP, err = openNew(ctx)
	<-done
	if baseErr != nil {
		return nil, nil, baseErr
	}
	if err != nil {
		return nil, nil, err
	}
	return base, newP, nil
}

// OpenMerged reads paths (files and URLs) at once and merges them as go
// tool pprof merges the sources it is given (model.Merge): a source that
// fails is named with its error in the result's Parts while the others
// are merged; only when none can be read is it an error. onPart, if not
// nil, is told of each source as it is done (Err set if it failed), from
// the goroutine that read it.
func OpenMerged(ctx context.Context, paths []string, opt fetch.Options, onPart func(model.Part)) (*model.Profile, error) {
	names := model.PartNames(paths)
	parts := make([]model.Part, len(paths))
	profiles := make([]*model.Profile, len(paths))
	// Files are parsed a core each at most; URLs wait on their services.
	cores := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, path := range paths {
		parts[i] = model.Part{Source: path, Name: names[i]}
		wg.Go(func() {
			if !fetch.IsRemote(path) {
				cores <- struct{}{}
				defer func() { <-cores }()
			}
			p, err := OpenProfile(ctx, path, opt)
			profiles[i], parts[i].Err = p, err
			if onPart != nil {
				onPart(parts[i])
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return model.Merge(parts, profiles)
}
