using System.Runtime.InteropServices;

namespace InviteKit.Native;

/// <summary>Base of every owned invitekit object: NULL is invalid, release calls the type's ik_*_free.</summary>
internal abstract class InviteKitHandle : SafeHandle
{
    protected InviteKitHandle() : base(0, ownsHandle: true) { }

    public override bool IsInvalid => handle == 0;

    /// <summary>The raw pointer, for borrowed accessors called while this handle is kept alive.</summary>
    internal nint Raw => handle;
}

/// <summary>A result that keeps the native object it was converted from (a <c>Page&lt;T&gt;</c> keeps its page for
/// <c>ItemCursor</c>): <c>Calls</c> hands the call's handle over instead of freeing it.</summary>
internal interface IAdoptsNative
{
    void Adopt(InviteKitHandle h);
}

internal sealed class ClientHandle : InviteKitHandle
{
    public ClientHandle() { }
    protected override bool ReleaseHandle() { NativeMethods.ik_client_free(handle); return true; }
}

internal sealed class ErrorHandle : InviteKitHandle
{
    public ErrorHandle() { }
    protected override bool ReleaseHandle() { NativeMethods.ik_error_free(handle); return true; }
}

internal sealed class PagerHandle : InviteKitHandle
{
    public PagerHandle() { }
    protected override bool ReleaseHandle() { NativeMethods.ik_pager_free(handle); return true; }
}

internal sealed class PageHandle : InviteKitHandle
{
    public PageHandle() { }
    protected override bool ReleaseHandle() { NativeMethods.ik_page_free(handle); return true; }

    /// <summary>A new handle that owns this page; this one is left invalid (its dispose frees nothing).</summary>
    internal PageHandle Transfer()
    {
        var owner = new PageHandle();
        owner.SetHandle(handle);
        SetHandleAsInvalid();
        return owner;
    }
}

internal sealed class OpHandle : InviteKitHandle
{
    public OpHandle() { }
    protected override bool ReleaseHandle() { NativeMethods.ik_op_free(handle); return true; }
}

internal sealed class CancelTokenHandle : InviteKitHandle
{
    public CancelTokenHandle() { }
    protected override bool ReleaseHandle() { NativeMethods.ik_cancel_token_free(handle); return true; }
}

internal sealed class OpenAIInviteHandle : InviteKitHandle
{
    public OpenAIInviteHandle() { }
    protected override bool ReleaseHandle() { NativeMethods.ik_openai_invite_free(handle); return true; }
}

internal sealed class TwilioInviteHandle : InviteKitHandle
{
    public TwilioInviteHandle() { }
    protected override bool ReleaseHandle() { NativeMethods.ik_twilio_invite_free(handle); return true; }
}

internal sealed class TwilioUserHandle : InviteKitHandle
{
    public TwilioUserHandle() { }
    protected override bool ReleaseHandle() { NativeMethods.ik_twilio_user_free(handle); return true; }
}

internal sealed class FastlyInvitationHandle : InviteKitHandle
{
    public FastlyInvitationHandle() { }
    protected override bool ReleaseHandle() { NativeMethods.ik_fastly_invitation_free(handle); return true; }
}

internal sealed class DeletionHandle : InviteKitHandle
{
    public DeletionHandle() { }
    protected override bool ReleaseHandle() { NativeMethods.ik_deletion_free(handle); return true; }
}
