using System.Text;
using GopherCron.Modules.Logs.Domain;

namespace GopherCron.Logs.Tests;

public sealed class OutputCapTests
{
    /// <summary>Applies the planned operations to an in-memory "table" the way the ledger applies them to the store.</summary>
    private sealed class Store
    {
        public SortedDictionary<int, string> Rows { get; } = [];

        public void Apply(List<OutputOperation> operations)
        {
            foreach (var operation in operations)
            {
                switch (operation)
                {
                    case OutputOperation.Insert i:
                        Rows.Add(i.Sequence, i.Text);
                        break;
                    case OutputOperation.Delete d:
                        d.Sequences.ToList().ForEach(s => Rows.Remove(s).ShouldBeTrue());
                        break;
                    case OutputOperation.Marker m:
                        if (m.Update)
                        {
                            Rows.ContainsKey(m.Sequence).ShouldBeTrue();
                        }
                        else
                        {
                            Rows.ContainsKey(m.Sequence).ShouldBeFalse();
                        }

                        Rows[m.Sequence] = m.Text;
                        break;
                }
            }

            operations.Clear();
        }

        public string Text => string.Concat(Rows.Values);
    }

    [Fact]
    public void Output_under_the_cap_is_stored_whole_and_in_order()
    {
        var cap = new OutputCap(1000);
        var store = new Store();
        var ops = new List<OutputOperation>();
        cap.Accept(1, "hello\n", ops);
        cap.Accept(2, "world\n", ops);
        store.Apply(ops);

        store.Text.ShouldBe("hello\nworld\n");
        cap.ElidedBytes.ShouldBe(0);
    }

    [Fact]
    public void Output_over_the_cap_keeps_head_and_tail_with_a_marker_for_the_middle()
    {
        var cap = new OutputCap(100);
        var store = new Store();
        var ops = new List<OutputOperation>();
        var all = new StringBuilder();
        for (var i = 1; i <= 50; i++)
        {
            var line = $"line {i:00}\n"; // 8 bytes
            all.Append(line);
            cap.Accept(i, line, ops);
            store.Apply(ops);
        }

        var text = store.Text;
        text.ShouldStartWith(all.ToString()[..50]);
        text.ShouldEndWith("line 50\n");
        text.ShouldContain("bytes of output elided");
        cap.TotalBytes.ShouldBe(400);
        (Encoding.UTF8.GetByteCount(text.Replace(OutputCap.MarkerText(cap.ElidedBytes), "")) + cap.ElidedBytes).ShouldBe(400);
        Encoding.UTF8.GetByteCount(text.Replace(OutputCap.MarkerText(cap.ElidedBytes), "")).ShouldBeLessThanOrEqualTo(100);
    }

    [Fact]
    public void A_single_huge_piece_is_cut_to_head_and_tail()
    {
        var cap = new OutputCap(20);
        var store = new Store();
        var ops = new List<OutputOperation>();
        cap.Accept(1, new string('a', 10) + new string('b', 100) + new string('c', 10), ops);
        store.Apply(ops);

        store.Text.ShouldBe(new string('a', 10) + OutputCap.MarkerText(100) + new string('c', 10));
    }

    [Fact]
    public void Duplicate_pieces_from_a_resend_are_dropped()
    {
        var cap = new OutputCap(1000);
        var store = new Store();
        var ops = new List<OutputOperation>();
        cap.Accept(1, "a", ops);
        cap.Accept(2, "b", ops);
        cap.Accept(2, "b", ops);
        cap.Accept(1, "a", ops);
        store.Apply(ops);

        store.Text.ShouldBe("ab");
    }

    [Fact]
    public void Cuts_never_split_a_multibyte_character()
    {
        var (first, rest) = Utf8.SplitAt("你好世界", 7);
        first.ShouldBe("你好");
        rest.ShouldBe("世界");

        var (emoji, after) = Utf8.SplitAt("😀😀", 5);
        emoji.ShouldBe("😀");
        after.ShouldBe("😀");
    }
}
