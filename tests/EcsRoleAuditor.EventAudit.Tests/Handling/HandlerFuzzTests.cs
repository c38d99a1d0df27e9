using System.Text.Json;
using CsCheck;
using EcsRoleAuditor.EventAudit.Alerts;
using EcsRoleAuditor.TestData.Fuzzing;

namespace EcsRoleAuditor.EventAudit.Tests.Handling;

/// <summary>
/// Mutation fuzzing of the Lambda's handler with the raw invocation payload, as the Runtime API hands it over (the CLI's
/// <c>event</c> command parses the file first, so only here do raw bytes reach the handler): every sample event changed
/// the way a careless user or an attacker would. Whatever the payload, the handler answers JSON and never throws (a throw
/// makes Lambda retry an event that will never succeed), and whatever it publishes is a message SNS accepts.
/// </summary>
public sealed class HandlerFuzzTests
{
    // "Constraints: Subjects must be UTF-8 text with no line breaks or control characters, and less than 100 characters
    // long." (Amazon SNS API Reference, Publish, Subject.)
    private const int MaxSubjectLength = 99;

    [Fact]
    public async Task No_mutated_payload_makes_the_handler_throw_or_publish_what_SNS_refuses()
    {
        var master = PCG.Parse(FuzzSettings.Seed);
        var failures = new Dictionary<string, (string Example, int Count)>(StringComparer.Ordinal);
        var runs = 0;
        foreach (var name in DemoAccount.EventNames)
        {
            var seed = DemoAccount.Event(name);
            var mutations = Mutations.Of(seed);
            for (var n = 0; n < FuzzSettings.CasesPerTarget; n++, runs++)
            {
                var pcg = new PCG(master.Next(), master.Next64());
                var caseSeed = pcg.ToString();
                var mutation = mutations.Generate(pcg, null!, out _);
                foreach (var (kind, detail) in await Violations(mutation.Apply(seed)))
                {
                    var key = $"{name}: {kind}";
                    failures[key] = failures.TryGetValue(key, out var seen)
                        ? (seen.Example, seen.Count + 1)
                        : ($"{key}\n    mutation {mutation} (case seed {caseSeed})\n    {Mutations.Printable(detail)}", 1);
                }
            }
        }
        Assert.True(failures.Count == 0,
            $"{failures.Count} kinds of failure in {runs} invocations from seed {FuzzSettings.Seed} (replay with ERA_FUZZ_SEED):\n"
            + string.Join("\n", failures.Values.Select(f => $"[{f.Count}×] {f.Example}")));
    }

    private static async Task<List<(string Kind, string Detail)>> Violations(byte[] payload)
    {
        var fixture = new HandlerFixture();
        var found = new List<(string, string)>();
        string response;
        try
        {
            response = await fixture.InvokeAsync(payload);
        }
        catch (Exception e)
        {
            found.Add(("the handler threw", $"{e.GetType().Name}: {Shorten(e.Message)}\n{string.Join("\n", e.StackTrace?.Split('\n').Take(9) ?? [])}"));
            return found;
        }
        try
        {
            using var _ = JsonDocument.Parse(response);
        }
        catch (JsonException e)
        {
            found.Add(("the response is not JSON", $"{e.Message}: {Shorten(response)}"));
        }
        foreach (var message in fixture.Sns.Published)
        {
            if (message.Subject is { } subject && (subject.Length > MaxSubjectLength || subject.Any(char.IsControl) || RawControl.First(subject) is not null))
            {
                found.Add(("a subject SNS refuses", subject));
            }
            if (AlertComposer.SizeOf(message) > AlertComposer.MaxMessageBytes)
            {
                found.Add(("a message over SNS's size limit", $"{AlertComposer.SizeOf(message)} bytes"));
            }
            var email = HandlerFixture.Bodies(message).Email;
            if (RawControl.First(email.Replace("\n", "", StringComparison.Ordinal)) is { } raw)
            {
                found.Add(("a raw control character in the email body", raw));
            }
        }
        return found;
    }

    private static string Shorten(string text) => text.Length <= 600 ? text : $"{text[..600]}… ({text.Length} chars)";
}
