package ui

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// statusBar is the window's bottom line: what happened last (the whole of
// it on hover), a progress bar while work is under way, a live capture's
// count-down, and a Cancel button while a fetch can be cancelled.
type statusBar struct {
	*hoverLabel
	work     *async
	progress *widget.ProgressBarInfinite
	capture  *widget.ProgressBar // counts a capture's seconds down
	cancel   *widget.Button      // cancels a fetch under way
	box      fyne.CanvasObject
}

func newStatusBar(tips *tipLayer, work *async, onCancel func()) *statusBar {
	sb := &statusBar{hoverLabel: newHoverLabel("", tips), work: work,
		progress: widget.NewProgressBarInfinite(), capture: widget.NewProgressBar(),
		cancel: widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), onCancel)}
	sb.progress.Hide()
	sb.capture.Hide()
	sb.cancel.Hide()
	sb.box = container.NewBorder(nil, nil, nil, sb.cancel, container.NewStack(sb.hoverLabel, sb.progress, sb.capture))
	return sb
}

// busy says msg with the progress bar running.
func (sb *statusBar) busy(msg string) {
	sb.SetText(msg)
	sb.progress.Show()
	sb.progress.Start()
}

// idle ends what busy began and says msg.
func (sb *statusBar) idle(msg string) {
	sb.progress.Stop()
	sb.progress.Hide()
	sb.capture.Hide()
	sb.cancel.Hide()
	sb.SetText(msg)
}

// countDown shows a capture's seconds counting down until ctx ends.
func (sb *statusBar) countDown(ctx context.Context, capture time.Duration) {
	start := time.Now()
	sb.capture.Min, sb.capture.Max = 0, capture.Seconds()
	sb.capture.TextFormatter = func() string {
		left := capture - time.Since(start)
		if left <= 0 {
			return "capture done, waiting for the profile…"
		}
		return fmt.Sprintf("capturing: %ds left", int(left.Seconds()+0.999))
	}
	sb.capture.SetValue(0)
	sb.capture.Show()
	sb.progress.Hide()
	sb.work.run(laneNone, func(context.Context) func() {
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return nil
			case <-tick.C:
				sb.work.post(func() { sb.capture.SetValue(min(time.Since(start), capture).Seconds()) })
			}
		}
	})
}
