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
	// The bars sit right of the message, not over it: "Loading …" stays
	// readable while they run.
	bar := func(o fyne.CanvasObject, width float32) fyne.CanvasObject {
		return container.New(&fixedWidth{width: width}, o)
	}
	sb.box = container.NewBorder(nil, nil, nil, container.NewHBox(bar(sb.progress, 160), bar(sb.capture, 240), sb.cancel), sb.hoverLabel)
	return sb
}

// fixedWidth lays its objects out width wide and as tall as the tallest
// needs; hidden objects take no room.
type fixedWidth struct{ width float32 }

func (l *fixedWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var h float32
	shown := false
	for _, o := range objs {
		if o.Visible() {
			h, shown = max(h, o.MinSize().Height), true
		}
	}
	if !shown {
		return fyne.NewSize(0, 0)
	}
	return fyne.NewSize(l.width, h)
}

func (l *fixedWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
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
	sb.work.every(ctx, 250*time.Millisecond, func() { sb.capture.SetValue(min(time.Since(start), capture).Seconds()) })
}
