namespace EcsRoleAuditor.Aws.Runtime;

/// <summary>
/// A response body read no further than a bound. A server that keeps sending (a hostile endpoint, a broken proxy)
/// would otherwise be read into memory whole; past the bound the answer is unreadable instead, an AWS failure the audit
/// reports as incomplete.
/// </summary>
internal sealed class BoundedReadStream(Stream inner, long limit) : Stream
{
    /// <summary>
    /// The largest answer read: a GetAccountAuthorizationDetails page of 1,000 entities with every version of AWS managed
    /// policies (6,144 characters each, more URL-encoded) stays well below it; every other answer is far smaller.
    /// </summary>
    public const long DefaultLimit = 128L * 1024 * 1024;

    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Counted(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Counted(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Counted(int read)
    {
        _read += read;
        return _read > limit ? throw new InvalidDataException($"the answer is larger than {limit:N0} bytes") : read;
    }
}
