using System.Text.Json;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Untangle.Tests.EndToEnd;

/// <summary>One tiny MacridVAE run on synthetic data, trained once for the steering tests.</summary>
public sealed class SteeredRun
{
    public SteeredRun()
    {
        Folder = Path.Combine(Scratch.Folder("untangle-steer-").FullName, "run");
        var (code, _, stderr) = SteeringTests.Host(["run", "macridvae-synthetic", .. SteeringTests.Tiny, "--set", "protocol.heldout_users=30", "--set", "hyper.dim=4", "--out", Folder]);
        if (code != 0) throw new InvalidOperationException($"the steering run failed: {stderr}");
    }

    public string Folder { get; }
}

/// <summary>
/// `steer` as a user meets it: every method with a decoder reopens from its run folder (the decoder
/// checked against the scorer on opening) and moves a list; the error lines; and the page in a real
/// headless Chromium, whose clicks must give the lists and shares the terminal verb gives.
/// </summary>
public class SteeringTests(SteeredRun run) : IClassFixture<SteeredRun>
{
    internal static readonly string[] Tiny =
    [
        "--set", "dataset.users=300", "--set", "dataset.items=60", "--set", "train.epochs=3", "--set", "train.threads=1",
    ];

    internal static (int Code, string Out, string Err) Host(params string[] args) =>
        HostProcess.Run(HostProcess.Repo, [.. args, "--store", Path.Combine(Scratch.Folder("untangle-store-").FullName, "untangle.db")]);

    private static JsonDocument SteerJson(params string[] args)
    {
        var (code, stdout, stderr) = Host(["steer", .. args, "--json"]);
        code.Should().Be(0, stderr);
        return JsonDocument.Parse(stdout);
    }

    private static List<string> Items(JsonElement list) => list.EnumerateArray().Select(i => i.GetProperty("item").GetString()!).ToList();

    [Theory]
    [InlineData("macridvae-synthetic", true)]
    [InlineData("multvae-synthetic", true)]
    [InlineData("multdae-synthetic", true)]
    [InlineData("lightgcn-synthetic", false)]
    [InlineData("bpr-mf-synthetic", false)]
    public void Every_method_with_a_decoder_reopens_and_moves_a_users_list(string experiment, bool heldOutUsers)
    {
        var folder = Path.Combine(Scratch.Folder("untangle-steer-").FullName, experiment);
        string[] protocol = heldOutUsers ? ["--set", "protocol.heldout_users=30"] : [];
        var (code, _, stderr) = Host(["run", experiment, .. Tiny, .. protocol, "--out", folder]);
        code.Should().Be(0, stderr);

        using var result = SteerJson(folder, "--axis", "category:intent1", "--by", "3", "--top", "10");

        var root = result.RootElement;
        Items(root.GetProperty("before")).Should().HaveCount(10).And.OnlyHaveUniqueItems();
        Items(root.GetProperty("after")).Should().HaveCount(10);
        root.GetProperty("shares_before").EnumerateObject().Select(p => p.Name).Should().Equal(Enumerable.Range(0, 5).Select(k => $"category:intent{k}"));
        var axis = root.GetProperty("axes").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "category:intent1");
        axis.GetProperty("kind").GetString().Should().Be("glm");
        axis.GetProperty("held_out_r2").ValueKind.Should().Be(JsonValueKind.Number);
        axis.GetProperty("by").GetDouble().Should().Be(3);
    }

    [Fact]
    public void A_locked_axis_is_decorrelated_from_and_macridvae_has_native_concept_axes()
    {
        using var result = SteerJson(run.Folder, "--axis", "category:intent0", "--by", "2", "--lock", "category:intent1", "--lock", "category:intent2");

        var axes = result.RootElement.GetProperty("axes").EnumerateArray().ToList();
        var moved = axes.Single(a => a.GetProperty("name").GetString() == "category:intent0");
        var cosines = moved.GetProperty("cosines").EnumerateArray().ToList();
        cosines.Select(c => c.GetProperty("locked").GetString()).Should().Equal("category:intent1", "category:intent2");
        foreach (var c in cosines) c.GetProperty("decorrelated").GetDouble().Should().BeApproximately(0, 1e-6);
        axes.Where(a => a.GetProperty("locked").GetBoolean()).Should().HaveCount(2);
        axes.Where(a => a.GetProperty("kind").GetString() == "native").Select(a => a.GetProperty("name").GetString())
            .Should().Equal(Enumerable.Range(0, 5).Select(k => $"concept:{k}"));
    }

    [Fact]
    public void Unknown_runs_users_and_axes_fail_with_one_line_naming_the_valid_ones()
    {
        var (noRun, _, noRunErr) = Host(["steer", Path.Combine(run.Folder, "missing")]);
        noRun.Should().Be(1);
        LastLine(noRunErr).Should().StartWith("error: '").And.Contain("is neither a run folder nor a run id");

        var (user, _, userErr) = Host(["steer", run.Folder, "--user", "nobody"]);
        user.Should().Be(1);
        LastLine(userErr).Should().MatchRegex(@"^error: unknown user 'nobody' in run .*; users with a code: .*\(300 in all\)$");

        var (axis, _, axisErr) = Host(["steer", run.Folder, "--axis", "category:intent9", "--by", "1"]);
        axis.Should().Be(1);
        LastLine(axisErr).Should().Be($"error: unknown axis 'category:intent9' in run {run.Folder}; axes: "
            + "category:intent0, category:intent1, category:intent2, category:intent3, category:intent4, concept:0, concept:1, concept:2, concept:3, concept:4, "
            + "micro:concept0.0 … micro:concept4.3");

        var (both, _, bothErr) = Host(["steer", run.Folder, "--axis", "concept:1", "--by", "1", "--lock", "concept:1"]);
        both.Should().Be(1);
        bothErr.Should().Contain("axis 'concept:1' is both moved (--axis) and locked (--lock)");

        var (usage, _, usageErr) = Host(["steer", run.Folder, "--by", "1"]);
        usage.Should().Be(2);
        usageErr.Should().StartWith("error: --by 1 must follow an --axis NAME");

        var popular = Path.Combine(Scratch.Folder("untangle-steer-").FullName, "mostpop");
        Host(["run", "mostpop-synthetic", .. Tiny, "--out", popular]).Code.Should().Be(0);
        var (none, _, noneErr) = Host(["steer", popular]);
        none.Should().Be(1);
        LastLine(noneErr).Should().StartWith("error: method 'mostpop' gives no user representation with a decoder, so its lists cannot be steered;");

        var unfinished = Path.Combine(Scratch.Folder("untangle-steer-").FullName, "unfinished");
        Directory.CreateDirectory(unfinished);
        File.Copy(Path.Combine(run.Folder, "config.json"), Path.Combine(unfinished, "config.json"));
        var (open, _, openErr) = Host(["steer", unfinished]);
        open.Should().Be(1);
        openErr.Should().Contain("the run has not finished (no metrics.json)");
    }

    [Fact]
    public void Bench_steer_measures_every_axis_set_and_an_unmoved_code_keeps_its_list()
    {
        var root = Scratch.Folder("untangle-steer-bench-").FullName;
        var (code, stdout, stderr) = Host(["bench", "steer-synthetic", "--seeds", "1", .. Tiny, "--out", root]);

        code.Should().Be(0, stderr);
        stdout.Should().Contain("| run | axes | n | monotonicity | positive | side effect | side per target | survival at 0 | target gain |");
        using var steer = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "steer.json")));
        var runs = steer.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateArray().ToList());
        runs.Keys.Should().Equal("macridvae-synthetic seed 1", "multvae-synthetic seed 1", "lightgcn-synthetic seed 1");
        runs["macridvae-synthetic seed 1"].Select(a => a.GetProperty("set").GetString()).Distinct().Should().Equal("glm", "glm-decorrelated", "native");
        runs["lightgcn-synthetic seed 1"].Select(a => a.GetProperty("set").GetString()).Distinct().Should().Equal("glm", "glm-decorrelated");
        foreach (var axis in runs.Values.SelectMany(a => a))
        {
            axis.GetProperty("survival").GetDouble().Should().Be(1, "δ = 0 leaves the code where it was");
            axis.GetProperty("monotonicity").GetDouble().Should().BeInRange(-1, 1);
            axis.GetProperty("target").GetString().Should().StartWith("category:intent");
        }
    }

    [SkippableFact]
    public void The_page_in_a_headless_browser_moves_the_list_as_the_terminal_does()
    {
        using var browser = Browser.Start();
        using var start = SteerJson(run.Folder);
        var user = start.RootElement.GetProperty("user").GetString()!;
        var pageFolder = Path.Combine(Scratch.Folder("untangle-page-").FullName, "page");
        var (code, stdout, stderr) = Host(["steer", run.Folder, "--html", pageFolder, "--user", user, "--top", "20"]);
        code.Should().Be(0, stderr);
        var page = stdout.Trim()["page: ".Length..];

        var driver = browser.Driver;
        driver.Navigate().GoToUrl(new Uri(page).AbsoluteUri);
        var wait = new WebDriverWait(driver, TimeSpan.FromSeconds(30));
        wait.Until(d => d.FindElement(By.TagName("body")).GetAttribute("data-ready") == "true");

        // Unmoved: the page's list is the terminal's.
        PageList(driver, "before").Should().Equal(Items(start.RootElement.GetProperty("before")));
        PageList(driver, "after").Should().Equal(Items(start.RootElement.GetProperty("before")));

        // Lock intent2, then + twice on intent1: the terminal's --lock category:intent2 --axis category:intent1 --by 2.
        Row(driver, "category:intent2").FindElement(By.CssSelector("input.lock")).Click();
        var plus = Row(driver, "category:intent1").FindElement(By.CssSelector("button.plus"));
        plus.Click();
        plus.Click();
        Row(driver, "category:intent1").FindElement(By.CssSelector("td.delta")).Text.Should().Be("2");

        using var moved = SteerJson(run.Folder, "--user", user, "--axis", "category:intent1", "--by", "2", "--lock", "category:intent2");
        var after = Items(moved.RootElement.GetProperty("after"));
        after.Should().NotEqual(Items(moved.RootElement.GetProperty("before")), "two steps move a tiny model's list");
        PageList(driver, "after").Should().Equal(after);
        foreach (var share in moved.RootElement.GetProperty("shares_after").EnumerateObject())
        {
            var cells = driver.FindElements(By.CssSelector($"#shares tr[data-attribute='{share.Name}'] td.after"));
            var shown = cells.Count == 0 ? 0 : double.Parse(cells[0].Text, System.Globalization.CultureInfo.InvariantCulture);
            shown.Should().BeApproximately(share.Value.GetDouble(), 5e-4, share.Name);
        }
        driver.FindElement(By.TagName("body")).GetAttribute("data-blocked").Should().BeEmpty();

        // The same move given on the command line: the page opens moved.
        var (opened, openedOut, openedErr) = Host(["steer", run.Folder, "--html", pageFolder + "-moved", "--user", user,
            "--axis", "category:intent1", "--by", "2", "--lock", "category:intent2"]);
        opened.Should().Be(0, openedErr);
        driver.Navigate().GoToUrl(new Uri(openedOut.Trim()["page: ".Length..]).AbsoluteUri);
        wait.Until(d => d.FindElement(By.TagName("body")).GetAttribute("data-ready") == "true");
        PageList(driver, "after").Should().Equal(after);
        Row(driver, "category:intent2").FindElement(By.CssSelector("input.lock")).Selected.Should().BeTrue();
    }

    private static string LastLine(string text) => text.Trim().Split('\n')[^1];

    private static IWebElement Row(IWebDriver driver, string axis) => driver.FindElement(By.CssSelector($"#axes tr[data-axis='{axis}']"));

    private static List<string> PageList(IWebDriver driver, string id) =>
        driver.FindElements(By.CssSelector($"#{id} li")).Select(li => li.GetAttribute("data-item")!).ToList();
}

/// <summary>
/// Debian's Chromium driven by its chromedriver (packages chromium and chromium-driver, which .ci/run
/// installs). Missing outside CI: the test is skipped with the one line saying what it needs; missing in
/// CI (CI=true): it fails.
/// </summary>
internal sealed class Browser : IDisposable
{
    private const string Needs = "the steering page test needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver; .ci/run installs them)";

    private Browser(ChromeDriver driver) => Driver = driver;

    public ChromeDriver Driver { get; }

    public static Browser Start()
    {
        var chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);
        var driverPath = new[] { "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver" }.FirstOrDefault(File.Exists);
        if (chromium is null || driverPath is null)
        {
            if (Environment.GetEnvironmentVariable("CI") == "true") throw new InvalidOperationException(Needs);
            Skip.If(true, Needs);
        }
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(driverPath)!, Path.GetFileName(driverPath));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = chromium };
        // --no-sandbox: Chromium refuses to start as root without it (CI runs as root).
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000",
            "--user-data-dir=" + Scratch.Folder("untangle-chromium-").FullName);
        return new Browser(new ChromeDriver(service, options, TimeSpan.FromSeconds(60)));
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
    }
}
