package invitekit_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	invitekit "github.com/invitekit/invitekit/bindings/go"
)

// exampleClient returns a client for the emulator the tests started
// (INVITEKIT_EXAMPLE_URL). In real code: invitekit.NewClient(invitekit.Options{})
// reads the vendors' environment variables (OPENAI_ADMIN_KEY, ...).
func exampleClient() *invitekit.Client {
	url := os.Getenv("INVITEKIT_EXAMPLE_URL")
	c, err := invitekit.NewClient(invitekit.Options{
		IgnoreEnv: true,
		OpenAI:    invitekit.OpenAIOptions{AdminKey: "sk-admin-emulator", BaseURL: url + "/v1"},
		Twilio: invitekit.TwilioOptions{AccountSID: "AC00000000000000000000000000000000",
			AuthToken: "emulator-twilio-token", BaseURL: url},
		Fastly: invitekit.FastlyOptions{APIToken: "emulator-fastly-token", BaseURL: url},
	})
	if err != nil {
		log.Fatal(err)
	}
	return c
}

func ExampleNewClient() {
	// The zero Options: defaults, credentials from the environment.
	c, err := invitekit.NewClient(invitekit.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	fmt.Println(c.BaseURL(invitekit.ProviderFastly) != "")
	// Output: true
}

func ExampleClient_OpenAIInvites() {
	c := exampleClient()
	defer c.Close()
	ctx := context.Background()
	it := c.OpenAIInvites(ctx, invitekit.ListOptions{PageSize: 2, MaxItems: 3})
	defer it.Close()
	for it.Next(ctx) {
		inv := it.Item()
		fmt.Println(inv.Email, inv.Role, inv.Status)
	}
	if err := it.Err(); err != nil {
		log.Fatal(err)
	}
	// Output:
	// invitee-0001@example.com reader pending
	// invitee-0002@example.com reader pending
	// invitee-0003@example.com owner pending
}

func ExampleClient_TwilioUsers() {
	c := exampleClient()
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	it := c.TwilioUsers(ctx, "IS00000000000000000000000000000000", invitekit.ListOptions{PageSize: 2, MaxItems: 4})
	defer it.Close()
	for it.NextPage(ctx) {
		p := it.Page()
		for _, u := range p.Items {
			fmt.Println(u.Identity, *u.FriendlyName)
		}
	}
	if err := it.Err(); err != nil {
		log.Fatal(err)
	}
	// Output:
	// user-0001 Seed User 0001
	// user-0002 Seed User 0002
	// user-0003 Seed User 0003
	// user-0004 Seed User 0004
}

func ExampleClient_RetrieveOpenAIInvite() {
	c := exampleClient()
	defer c.Close()
	_, err := c.RetrieveOpenAIInvite(context.Background(), "invite-does-not-exist")
	var e *invitekit.Error
	if errors.Is(err, invitekit.ErrNotFound) && errors.As(err, &e) {
		fmt.Println(e.HTTPStatus, e.Provider, e.Operation)
	}
	// Output: 404 openai invites.retrieve
}

func ExampleClient_CreateFastlyInvitation() {
	c := exampleClient()
	defer c.Close()
	inv, err := c.CreateFastlyInvitation(context.Background(), invitekit.FastlyInvitationCreate{
		Email: "new.engineer@example.com", Role: "engineer", LimitServices: invitekit.Bool(true)})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(inv.Email, *inv.Role, *inv.LimitServices)
	del, err := c.DeleteFastlyInvitation(context.Background(), inv.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(*del.Deleted, del.Response.HTTPStatus)
	// Output:
	// new.engineer@example.com engineer true
	// true 204
}

func ExampleClient_CreateTwilioInvite() {
	c := exampleClient()
	defer c.Close()
	inv, err := c.CreateTwilioInvite(context.Background(), "IS00000000000000000000000000000000", "general", "alice", "")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(inv.Identity, inv.Response.HTTPStatus)
	_, _ = c.DeleteTwilioInvite(context.Background(), inv.ServiceSID, "general", inv.SID)
	// Output: alice 201
}

func ExampleClient_StartEnsureOpenAIInvite() {
	c := exampleClient()
	defer c.Close()
	ctx := context.Background()
	// Three ensures of one person in flight at once, from one goroutine: they
	// run one after another in start order, and exactly one creates.
	var ops []*invitekit.Op[invitekit.EnsureResult[*invitekit.OpenAIInvite]]
	for i := 0; i < 3; i++ {
		op, err := c.StartEnsureOpenAIInvite(ctx, invitekit.OpenAIInviteCreate{Email: "once@example.com", Role: "reader"})
		if err != nil {
			log.Fatal(err) // an argument error: nothing was started
		}
		ops = append(ops, op)
	}
	for _, op := range ops {
		r, err := op.Wait(ctx)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(r.Outcome, r.Value.Email)
	}
	r, _ := ops[0].Wait(ctx) // Wait may be called again: the same result
	_, _ = c.DeleteOpenAIInvite(ctx, r.Value.ID)
	// Output:
	// created once@example.com
	// present once@example.com
	// present once@example.com
}
