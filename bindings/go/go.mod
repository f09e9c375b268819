module github.com/invitekit/invitekit/bindings/go

go 1.19
