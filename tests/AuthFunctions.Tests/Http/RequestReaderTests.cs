using System.Buffers;
using System.Text;
using AuthFunctions.Core.Errors;
using AuthFunctions.Http.Requests;
using Microsoft.AspNetCore.Http;

namespace AuthFunctions.Tests.Http;

/// <summary>The form reader of the OAuth endpoints: bounded like JSON bodies, strict UTF-8, and cheap per request.</summary>
public sealed class RequestReaderTests
{
    private const string ClientCredentials = "grant_type=client_credentials&client_id=load-client&client_secret=s3cr3t%2Bvalue";

    private static HttpRequest FormRequest(byte[] body, bool declareLength = true, int chunk = int.MaxValue)
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = "application/x-www-form-urlencoded";
        context.Request.Body = new ChunkedStream(body, chunk);
        context.Request.ContentLength = declareLength ? body.Length : null;
        return context.Request;
    }

    [Fact]
    public async Task A_form_is_read_into_its_parameters()
    {
        var form = await RequestReader.ReadFormAsync(FormRequest(Encoding.UTF8.GetBytes(ClientCredentials)));

        Assert.True(form.Succeeded);
        Assert.Equal("client_credentials", form.Value["grant_type"]);
        Assert.Equal("s3cr3t+value", form.Value["client_secret"]);
    }

    [Fact]
    public async Task A_token_request_allocates_no_buffer_of_its_own()
    {
        // Each token request once took a 64 Ki-character buffer (128 KiB, on the large-object heap); now the
        // body's bytes go into a pooled buffer. The first read fills this thread's pool; the second is measured.
        var body = Encoding.UTF8.GetBytes(ClientCredentials);
        Assert.True((await RequestReader.ReadFormAsync(FormRequest(body))).Succeeded);
        var request = FormRequest(body);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var read = RequestReader.ReadFormAsync(request);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(read.IsCompletedSuccessfully, "a body already in memory is read without waiting");
        Assert.True((await read).Succeeded);
        Assert.InRange(allocated, 1, 8 * 1024);
    }

    [Fact]
    public async Task A_form_of_exactly_64_KiB_is_read_and_one_byte_more_is_too_large_even_without_a_length()
    {
        var exact = "grant_type=" + new string('a', RequestReader.MaxBodyBytes - "grant_type=".Length);
        var read = await RequestReader.ReadFormAsync(FormRequest(Encoding.UTF8.GetBytes(exact), declareLength: false));
        Assert.True(read.Succeeded);
        Assert.Equal(RequestReader.MaxBodyBytes - "grant_type=".Length, read.Value["grant_type"].Length);

        var over = await RequestReader.ReadFormAsync(FormRequest(Encoding.UTF8.GetBytes(exact + "a"), declareLength: false));
        Assert.False(over.Succeeded);
        Assert.Equal(ErrorCodes.PayloadTooLarge, over.Error.Code);
    }

    [Fact]
    public async Task A_limit_in_bytes_counts_the_bytes_of_characters_outside_ascii()
    {
        // 'é' is two bytes: 40,000 of them are under 64 Ki characters but over 64 KiB.
        var body = Encoding.UTF8.GetBytes("grant_type=" + new string('é', 40_000));

        var read = await RequestReader.ReadFormAsync(FormRequest(body, declareLength: false));

        Assert.False(read.Succeeded);
        Assert.Equal(ErrorCodes.PayloadTooLarge, read.Error.Code);
    }

    [Fact]
    public async Task A_body_that_is_not_utf8_is_refused()
    {
        byte[] body = [.. Encoding.ASCII.GetBytes("grant_type=client_credentials&client_id="), 0xC3, 0x28];

        var read = await RequestReader.ReadFormAsync(FormRequest(body));

        Assert.False(read.Succeeded);
        Assert.Equal(ErrorCodes.InvalidRequest, read.Error.Code);
        Assert.Contains("not UTF-8", read.Error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_read_in_small_pieces_is_whole_and_a_character_split_across_them_counts_its_bytes()
    {
        // 7-byte reads: the 2-byte characters straddle reads, and the limit falls inside the last one.
        var fits = "grant_type=" + new string('é', (RequestReader.MaxBodyBytes - "grant_type=".Length) / 2);
        var read = await RequestReader.ReadFormAsync(FormRequest(Encoding.UTF8.GetBytes(fits), declareLength: false, chunk: 7));
        Assert.True(read.Succeeded);
        Assert.Equal(fits["grant_type=".Length..], read.Value["grant_type"]);

        var over = await RequestReader.ReadFormAsync(FormRequest(Encoding.UTF8.GetBytes(fits + "é"), declareLength: false, chunk: 7));
        Assert.False(over.Succeeded);
        Assert.Equal(ErrorCodes.PayloadTooLarge, over.Error.Code);
    }

    [Fact]
    public async Task A_body_s_bytes_are_cleared_before_its_buffer_goes_back_to_the_pool()
    {
        // The pool hands this thread's last returned buffer out again: the reader gets the one rented here,
        // and gives it back for the second rent, which must find no trace of the secret.
        var pooled = ArrayPool<byte>.Shared.Rent(RequestReader.MaxBodyBytes + 1);
        ArrayPool<byte>.Shared.Return(pooled);
        var secret = "client_secret=mk_a-secret-that-must-not-linger";

        var form = await RequestReader.ReadFormAsync(FormRequest(Encoding.UTF8.GetBytes("grant_type=client_credentials&" + secret)));
        var again = ArrayPool<byte>.Shared.Rent(RequestReader.MaxBodyBytes + 1);
        try
        {
            Assert.True(form.Succeeded);
            Assert.Same(pooled, again);
            Assert.Equal(-1, again.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(again);
        }
    }

    /// <summary>A body that arrives at most <c>chunk</c> bytes per read, as a network stream may deliver it.</summary>
    private sealed class ChunkedStream(byte[] body, int chunk) : MemoryStream(body)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, chunk), cancellationToken);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
