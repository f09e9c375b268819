package invitekit

import (
	"errors"
	"testing"
)

func TestEnsure(t *testing.T) {
	c := newTestClient(t)
	inv, oc, err := c.EnsureOpenAIInvite(bg, OpenAIInviteCreate{Email: "ensure-go@example.com", Role: "reader"})
	if err != nil || oc != EnsureCreated || inv.Email != "ensure-go@example.com" {
		t.Fatalf("openai first: %v %v", oc, err)
	}
	again, oc, err := c.EnsureOpenAIInvite(bg, OpenAIInviteCreate{Email: "ENSURE-go@example.com", Role: "reader"})
	if err != nil || oc != EnsurePresent || again.ID != inv.ID || oc.String() != "present" {
		t.Fatalf("openai again: %v %v", oc, err)
	}
	_, oc, err = c.EnsureOpenAIInvite(bg, OpenAIInviteCreate{Email: "ensure-go@example.com", Role: "owner"})
	if err != nil || oc != EnsurePresentDifferent {
		t.Fatalf("openai different: %v %v", oc, err)
	}
	_, _ = c.DeleteOpenAIInvite(bg, inv.ID)

	ti, oc, err := c.EnsureTwilioInvite(bg, emuService, "ensure-channel", "ensure-id", "")
	if err != nil || oc != EnsureCreated {
		t.Fatalf("twilio invite: %v %v", oc, err)
	}
	ti2, oc, err := c.EnsureTwilioInvite(bg, emuService, "ensure-channel", "ensure-id", "")
	if err != nil || oc != EnsurePresent || ti2.SID != ti.SID {
		t.Fatalf("twilio invite again: %v %v", oc, err)
	}
	u, oc, err := c.EnsureTwilioUser(bg, emuService, TwilioUserParams{Identity: "ensure-user", FriendlyName: String("E")})
	if err != nil || oc != EnsureCreated || u.Identity != "ensure-user" {
		t.Fatalf("twilio user: %v %v", oc, err)
	}
	_, oc, err = c.EnsureTwilioUser(bg, emuService, TwilioUserParams{Identity: "ensure-user", FriendlyName: String("F")})
	if err != nil || oc != EnsurePresentDifferent {
		t.Fatalf("twilio user different: %v %v", oc, err)
	}
	_, _ = c.DeleteTwilioUser(bg, emuService, "ensure-user")
	f, oc, err := c.EnsureFastlyInvitation(bg, FastlyInvitationCreate{Email: "ensure-go@example.com", Role: "billing"})
	if err != nil || oc != EnsureCreated {
		t.Fatalf("fastly: %v %v", oc, err)
	}
	f2, oc, err := c.EnsureFastlyInvitation(bg, FastlyInvitationCreate{Email: "ensure-go@example.com", Role: "billing"})
	if err != nil || oc != EnsurePresent || f2.ID != f.ID {
		t.Fatalf("fastly again: %v %v", oc, err)
	}
	_, _ = c.DeleteFastlyInvitation(bg, f.ID)
	if _, _, err := c.EnsureTwilioUser(bg, "ISbad", TwilioUserParams{Identity: "x"}); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("validation: %v", err)
	}
	if EnsureOutcome(99).String() != "unknown" {
		t.Fatal(EnsureOutcome(99).String())
	}
}
