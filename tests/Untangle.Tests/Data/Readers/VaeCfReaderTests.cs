using Untangle.Host.Data.Parsing;
using Untangle.Host.Data.Readers;

namespace Untangle.Tests.Data.Readers;

public class VaeCfReaderTests
{
    private readonly VaeCfReader _reader = new();

    [Fact]
    public void Users_are_train_then_validation_then_test_in_uid_order()
    {
        var logger = new RecordingLogger();
        var data = ReaderFixtures.Read(_reader, "vaecf/small", logger);

        data.UserIds.Should().Equal("0", "1", "2", "3", "4", "5");
        data.ItemIds.Should().Equal("50", "10", "30", "20", "40");
        // 6 + 3 + 3 + 2 + 1 rows, (0, 2) twice in train.csv
        data.Interactions.Count.Should().Be(14);
        data.Interactions.Values.Should().BeNull();
        data.Interactions.Row(0).ToArray().Should().Equal(0, 2);
        data.Interactions.Row(4).ToArray().Should().Equal(0, 1, 3); // validation_tr and validation_te together
        logger.Messages.Should().Contain("small: 6 users, 5 items, 14 interactions");
        logger.Messages.Should().Contain(m => m.Contains("merged 1 repeated"));
    }

    [Fact]
    public void The_predefined_split_holds_out_validation_and_test_users()
    {
        var split = ReaderFixtures.Read(_reader, "vaecf/small").PredefinedSplit!;

        split.Protocol.Should().Be("presplit");
        split.HeldOutUsers.Should().BeTrue();
        split.UserToDataset.Should().Equal(0, 1, 2);
        split.ItemToDataset.Should().Equal(0, 1, 2, 3, 4);
        split.Train.Rows.Should().Be(3);
        split.Train.Count.Should().Be(5);

        var validation = split.Validation;
        validation.Users.Should().Equal(-1, -1);
        validation.DatasetUsers.Should().Equal(3, 4);
        validation.Known.Row(0).ToArray().Should().Equal(1);
        validation.Targets.Row(0).ToArray().Should().Equal(2, 4);
        validation.Known.Row(1).ToArray().Should().Equal(0, 3);
        validation.Targets.Row(1).ToArray().Should().Equal(1);

        split.Test.Users.Should().Equal(-1);
        split.Test.DatasetUsers.Should().Equal(5);
        split.Test.Known.Row(0).ToArray().Should().Equal(2, 3);
        split.Test.Targets.Row(0).ToArray().Should().Equal(0);
    }

    [Fact]
    public void A_sid_outside_the_item_list_fails_at_its_line()
    {
        var act = () => ReaderFixtures.Read(_reader, "vaecf/sid-out-of-range");
        var error = act.Should().Throw<DataFormatException>().Which;
        error.Message.Should().Contain("test_te.csv:3: sid 5 out of range in '5,5'").And.Contain("from 0 to 4");
    }

    [Fact]
    public void A_target_user_without_fold_in_rows_names_the_file_and_uid()
    {
        var act = () => ReaderFixtures.Read(_reader, "vaecf/te-without-tr");
        act.Should().Throw<DataFormatException>().Which.Message.Should()
            .Contain("validation_te.csv:4: uid 9 has no fold-in rows in validation_tr.csv");
    }

    [Fact]
    public void A_validation_user_who_is_also_a_training_user_fails()
    {
        var act = () => ReaderFixtures.Read(_reader, "vaecf/shared-user");
        act.Should().Throw<DataFormatException>().Which.Message.Should()
            .Contain("validation_tr.csv:3: uid 1 is also in train.csv");
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var act = () => ReaderFixtures.Read(_reader, "recbole/toy");
        act.Should().Throw<FileNotFoundException>().Which.Message.Should().Contain("unique_sid.txt");
    }
}
