namespace Untangle.Plugins.Foundation;
internal static class Placeholder { }
