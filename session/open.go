package session

import (
	"context"

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

// OpenPair opens a base and a new profile (files or URLs) in parallel.
func OpenPair(ctx context.Context, basePath, newPath string, opt fetch.Options) (base, newP *model.Profile, err error) {
	var baseErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		base, baseErr = OpenProfile(ctx, basePath, opt)
	}()
	newP, err = OpenProfile(ctx, newPath, opt)
	<-done
	if baseErr != nil {
		return nil, nil, baseErr
	}
	if err != nil {
		return nil, nil, err
	}
	return base, newP, nil
}
