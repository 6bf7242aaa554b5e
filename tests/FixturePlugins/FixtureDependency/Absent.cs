namespace Untangle.FixtureDependency;

public class AbsentBase
{
}
