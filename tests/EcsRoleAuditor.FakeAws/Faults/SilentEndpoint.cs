using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EcsRoleAuditor.FakeAws;

/// <summary>
/// A loopback endpoint that accepts every TCP connection and never answers: the endpoint that once held a live audit
/// for five minutes. With <see cref="StallingAfterHeaders"/> it answers 200 with a Content-Length and a first piece of
/// body, then stalls. Counts the connections it accepted (one per attempt of the client's retries).
/// </summary>
public sealed class SilentEndpoint : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _held = [];
    private readonly byte[]? _prefix;
    private int _connections;

    private SilentEndpoint(string? prefix)
    {
        _prefix = prefix is null ? null : Encoding.ASCII.GetBytes(prefix);
        _listener.Start();
        Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        _ = AcceptAsync();
    }

    /// <summary>Accepts and never writes a byte.</summary>
    public static SilentEndpoint Start() => new(null);

    /// <summary>Answers each request with status 200 and the headers of a 1,000-byte XML body, sends 20 bytes of it, and stalls.</summary>
    public static SilentEndpoint StallingAfterHeaders() =>
        new("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 1000\r\n\r\n<GetRoleResponse xml");

    /// <summary>The endpoint URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url { get; }

    /// <summary>How many connections were accepted.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Closes the listener and every held connection.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_held)
        {
            _held.ForEach(c => c.Dispose());
        }
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            Interlocked.Increment(ref _connections);
            lock (_held)
            {
                _held.Add(client);
            }
            if (_prefix is not null)
            {
                _ = StallAfterHeadersAsync(client.GetStream());
            }
        }
    }

    private async Task StallAfterHeadersAsync(NetworkStream stream)
    {
        try
        {
            // Wait for the request (its first bytes are enough), then start an answer that never ends.
            _ = await stream.ReadAsync(new byte[4096], _stop.Token).ConfigureAwait(false);
            await stream.WriteAsync(_prefix, _stop.Token).ConfigureAwait(false);
            await stream.FlushAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The client gave up or the endpoint was disposed.
        }
    }
}
