using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Untangle.Contracts.Training;
using Untangle.Host.Composition;
using static TorchSharp.torch;

namespace Untangle.Host.Steering;

/// <summary>
/// `steer RUN --html DIR`: one self-contained page (DIR/steer.html, no server, works from file://) in the
/// style of TL-GAN's demo (Shaobo Guan, 2018, github.com/SummitKwan/transparent_latent_gan): a user picker, a −/+ pair and a lock toggle per axis, and the user's top-N
/// before and after re-ranked in the page. The page holds the users' codes and known items, the axes
/// (direction, spread, held-out R²), the items' titles and attributes, and the method's decoder
/// program (<see cref="DecoderOp"/>), and runs the same steps as the terminal verb: decorrelation
/// against the locked axes (Gram–Schmidt), z' = z + Σ δ·s·a', the decoder, the top-N outside the known
/// items. Arrays travel as base64 of little-endian float32/float64/int32 (axes in float64, as the
/// terminal computes them; codes and the decoder's tensors in float32, as the model holds them).
/// A state can be given in the address: steer.html#user=ID&amp;move=AXIS@DELTA&amp;lock=AXIS.
/// </summary>
internal static class SteeringPage
{
    public const string FileName = "steer.html";

    /// <param name="moves">Where the page opens: these axes moved and <paramref name="locks"/> locked (fitted and native axes only; the page has no micro axes).</param>
    public static string Write(Steerer steerer, string folder, string user, int top,
        IReadOnlyList<(string Axis, double By)>? moves = null, IReadOnlyList<string>? locks = null)
    {
        foreach (var name in (moves ?? []).Select(m => m.Axis).Concat(locks ?? []))
            if (!steerer.Axes.All.Any(a => a.Name == name))
                throw new ConfigurationException($"axis '{name}' is not on the page, which shows the fitted and native axes: {string.Join(", ", steerer.Axes.All.Select(a => a.Name))}");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(Path.GetFullPath(folder), FileName);
        var data = Data(steerer, user, top);
        data["moves"] = new JsonArray((moves ?? []).Select(m => (JsonNode)new JsonObject { ["axis"] = m.Axis, ["by"] = m.By }).ToArray());
        data["locks"] = new JsonArray((locks ?? []).Select(l => (JsonNode)l).ToArray());
        var html = Template.Replace("/*DATA*/", data.ToJsonString(), StringComparison.Ordinal);
        Runs.FileWrite.Atomically(path, "writing", html);
        long megabytes = new FileInfo(path).Length >> 20;
        if (megabytes > 50)
            Serilog.Log.Warning("{Page} is {Size} MB: it holds every user's code and the decoder's tensors, and a browser loads a page this size slowly", path, megabytes);
        return path;
    }

    private static JsonObject Data(Steerer steerer, string user, int top)
    {
        var run = steerer.Run;
        var users = steerer.Users;
        var known = users.Known;
        var starts = known.RowStart;
        var axes = new JsonArray(steerer.Axes.All.Select(a => (JsonNode)new JsonObject
        {
            ["name"] = a.Name, ["kind"] = a.KindName, ["attribute"] = a.Attribute,
            ["r2"] = a.HeldOutR2, ["step"] = a.Step, ["direction"] = Base64(a.Direction),
        }).ToArray());
        var attributes = new JsonArray(steerer.Attributes.All.Select(a => (JsonNode)new JsonObject
        {
            ["name"] = a.Name,
            ["items"] = Base64(Enumerable.Range(0, a.Has.Length).Where(i => a.Has[i]).ToArray()),
        }).ToArray());
        return new JsonObject
        {
            ["run"] = run.Folder, ["method"] = run.Experiment.MethodName, ["experiment"] = run.Experiment.Name,
            ["representation"] = run.Users.Doc, ["top"] = top, ["user"] = user,
            ["dims"] = steerer.Axes.Dims,
            ["users"] = new JsonArray(Enumerable.Range(0, users.Count).Select(r => (JsonNode)steerer.UserId(r)).ToArray()),
            // Codes are float32 in the model: the float32 copy is exact and half the size.
            ["codes"] = Base64(steerer.Codes.SelectMany(c => c.Select(x => (float)x)).ToArray()),
            ["knownStart"] = Base64(starts), ["known"] = Base64(known.Columns),
            ["items"] = new JsonArray(run.Split.ItemToDataset.Select(i => (JsonNode)run.Dataset.ItemIds[i]).ToArray()),
            ["titles"] = new JsonArray(steerer.Attributes.Titles.Select(t => (JsonNode)t).ToArray()),
            ["attributes"] = attributes, ["axes"] = axes, ["decoder"] = Decoder(run),
        };
    }

    private static JsonArray Decoder(TrainedRun run)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ops = new JsonArray();
        foreach (var op in run.Users.Decoder!())
            ops.Add(op switch
            {
                LinearDecoderOp l => new JsonObject
                {
                    ["op"] = "linear", ["in"] = l.Weight.shape[0], ["out"] = l.Weight.shape[1],
                    ["weight"] = Base64(l.Weight), ["bias"] = l.Bias is null ? null : Base64(l.Bias),
                },
                TanhDecoderOp => new JsonObject { ["op"] = "tanh" },
                BlockUnitDecoderOp b => new JsonObject { ["op"] = "blockunit", ["blocks"] = b.Blocks },
                ConceptMixtureDecoderOp c => new JsonObject
                {
                    ["op"] = "conceptmixture", ["items"] = c.ItemsOverTau.shape[0], ["dim"] = c.ItemsOverTau.shape[1], ["concepts"] = c.Weights.shape[1],
                    ["itemsOverTau"] = Base64(c.ItemsOverTau), ["weights"] = Base64(c.Weights),
                },
                _ => throw new InvalidOperationException($"the page cannot evaluate decoder operation {op.GetType().Name}; add it to SteeringPage's JavaScript"),
            });
        return ops;
    }

    private static string Base64(Tensor t) => Convert.ToBase64String(
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(t.detach().to_type(ScalarType.Float32).cpu().contiguous().data<float>().ToArray().AsSpan()));

    private static string Base64(float[] values) => Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));

    private static string Base64(double[] values) => Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));

    private static string Base64(int[] values) => Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));

    private const string Template = """
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Untangle · steering</title>
<style>
body{font:14px system-ui,sans-serif;margin:16px;color:#222}
h1{font-size:18px;margin:0 0 4px} .meta{color:#666;margin-bottom:12px}
.wrap{display:flex;gap:24px;align-items:flex-start}
table{border-collapse:collapse} td,th{padding:2px 6px;text-align:left} th{border-bottom:1px solid #ccc}
#axes{max-height:85vh;overflow:auto;display:block}
#axes td.delta{min-width:3em;text-align:center;font-variant-numeric:tabular-nums}
#axes tr.locked{background:#f3f3f3;color:#999}
button{width:2em} ol{margin:0;padding-left:2em} li.new{background:#e6f4ea} li{white-space:nowrap}
td.up{color:#0a7d32} td.down{color:#b3261e}
</style></head><body>
<h1>Steering recommendations</h1>
<div class="meta" id="meta"></div>
<div>User <select id="user"></select> <button id="reset" style="width:auto">reset</button></div>
<div class="wrap">
<table id="axes"><thead><tr><th>axis</th><th>held-out R²</th><th></th><th>δ</th><th></th><th>lock</th></tr></thead><tbody></tbody></table>
<div><h3>before</h3><ol id="before"></ol></div>
<div><h3>after</h3><ol id="after"></ol></div>
<div><h3>share of the list</h3><table id="shares"><thead><tr><th>attribute</th><th>before</th><th>after</th></tr></thead><tbody></tbody></table></div>
</div>
<script id="data" type="application/json">/*DATA*/</script>
<script>
"use strict";
const D = JSON.parse(document.getElementById("data").textContent);
// Uint8Array.fromBase64 where the browser has it (native, several times faster than atob on megabytes).
function bytes(b64){ if (Uint8Array.fromBase64) return Uint8Array.fromBase64(b64).buffer;
  const s=atob(b64),a=new Uint8Array(s.length);for(let i=0;i<s.length;i++)a[i]=s.charCodeAt(i);return a.buffer;}
const f32 = b => new Float32Array(bytes(b)), f64 = b => new Float64Array(bytes(b)), i32 = b => new Int32Array(bytes(b));
const dims = D.dims, codes = Float64Array.from(f32(D.codes)), knownStart = i32(D.knownStart), known = i32(D.known);
const axes = D.axes.map(a => ({...a, direction: f64(a.direction), delta: 0, locked: false}));
const attributes = D.attributes.map(a => ({name: a.name, items: new Set(i32(a.items))}));
const decoder = D.decoder.map(op => {
  const o = {...op};
  for (const k of ["weight","bias","itemsOverTau","weights"]) if (typeof op[k] === "string") o[k] = f32(op[k]);
  return o;
});
// The decoder program, as DecoderOp.Apply computes it (float64 sums over float32 tensors).
function decode(z){
  let x = Float64Array.from(z, v => Math.fround(v));
  for (const op of decoder){
    if (op.op === "linear"){
      const y = new Float64Array(op.out);
      if (op.bias) for (let j=0;j<op.out;j++) y[j]=op.bias[j];
      for (let i=0;i<op.in;i++){const v=x[i]; if(v===0) continue; const w=op.weight, base=i*op.out; for(let j=0;j<op.out;j++) y[j]+=v*w[base+j];}
      x = y;
    } else if (op.op === "tanh"){ x = x.map(Math.tanh); }
    else if (op.op === "blockunit"){
      const w = x.length/op.blocks, y = new Float64Array(x.length);
      for (let b=0;b<op.blocks;b++){let n=0; for(let i=0;i<w;i++) n+=x[b*w+i]*x[b*w+i]; n=Math.max(Math.sqrt(n),1e-12); for(let i=0;i<w;i++) y[b*w+i]=x[b*w+i]/n;}
      x = y;
    } else if (op.op === "conceptmixture"){
      const I=op.items, d=op.dim, K=op.concepts, H=op.itemsOverTau, C=op.weights, y=new Float64Array(I);
      for (let i=0;i<I;i++){let s=0; for(let k=0;k<K;k++){let dot=0; for(let j=0;j<d;j++) dot+=x[k*d+j]*H[i*d+j]; s+=C[i*K+k]*Math.exp(dot);} y[i]=Math.log(s);}
      x = y;
    } else throw new Error("unknown decoder op " + op.op);
  }
  return x;
}
const dot = (a,b) => {let s=0; for(let i=0;i<a.length;i++) s+=a[i]*b[i]; return s;};
// Gram–Schmidt over the locked axes, then each moved axis minus its part in their span (Decorrelation.cs).
function basis(locked){
  const qs=[];
  for (const l of locked){const v=Float64Array.from(l.direction); for(const q of qs){const c=dot(q,v); for(let i=0;i<v.length;i++) v[i]-=c*q[i];}
    const n=Math.sqrt(dot(v,v)); if(n<1e-9) continue; for(let i=0;i<v.length;i++) v[i]/=n; qs.push(v);}
  return qs;
}
function orthogonal(a, qs){
  const v=Float64Array.from(a); for(const q of qs){const c=dot(q,v); for(let i=0;i<v.length;i++) v[i]-=c*q[i];}
  const n=Math.sqrt(dot(v,v)); if(n<1e-6) return null; for(let i=0;i<v.length;i++) v[i]/=n; return v;
}
function topItems(scores, row, n){
  const ex=new Set(known.subarray(knownStart[row], knownStart[row+1]));
  const idx=[]; for(let i=0;i<scores.length;i++) if(!ex.has(i)) idx.push(i);
  idx.sort((a,b)=> (scores[b]-scores[a]) || (a-b));
  return idx.slice(0,n);
}
const shares = list => attributes.map(a => list.length ? list.filter(i => a.items.has(i)).length/list.length : 0);
const userSelect = document.getElementById("user");
D.users.forEach((u,r) => {const o=document.createElement("option"); o.value=r; o.textContent=u; userSelect.appendChild(o);});
userSelect.value = D.users.indexOf(D.user);
document.getElementById("meta").textContent = `${D.experiment} · ${D.method} · ${D.representation} · top ${D.top} · a step of 1 on a fitted axis raises its predicted share by one standard deviation of the users' shares`;
const tbody = document.querySelector("#axes tbody");
axes.forEach(a => {
  const tr=document.createElement("tr"); tr.dataset.axis=a.name;
  tr.innerHTML=`<td title="${a.kind}${a.attribute?" → "+a.attribute:""}"></td><td>${a.r2==null?"":a.r2.toFixed(3)}</td><td><button class="minus">−</button></td><td class="delta">0</td><td><button class="plus">+</button></td><td><input type="checkbox" class="lock"></td>`;
  tr.cells[0].textContent=a.name;
  tr.querySelector(".minus").onclick=()=>{a.delta-=1; update();};
  tr.querySelector(".plus").onclick=()=>{a.delta+=1; update();};
  tr.querySelector(".lock").onchange=e=>{a.locked=e.target.checked; if(a.locked) a.delta=0; update();};
  a.row=tr; tbody.appendChild(tr);
});
userSelect.onchange = update;
// Where the page opens: the command line's --axis/--by and --lock, then a state in the address,
// steer.html#user=ID&move=AXIS@DELTA&lock=AXIS (each repeatable), for links and screenshots.
for (const m of D.moves){ const axis = axes.find(a => a.name === m.axis); if (axis) axis.delta = m.by; }
for (const l of D.locks){ const axis = axes.find(a => a.name === l); if (axis){ axis.locked = true; axis.row.querySelector(".lock").checked = true; } }
for (const part of decodeURIComponent(location.hash.slice(1)).split("&").filter(p => p)){
  const [key, value] = [part.slice(0, part.indexOf("=")), part.slice(part.indexOf("=") + 1)];
  if (key === "user" && D.users.includes(value)) userSelect.value = D.users.indexOf(value);
  const axis = axes.find(a => a.name === (key === "move" ? value.slice(0, value.lastIndexOf("@")) : value));
  if (key === "move" && axis) axis.delta = +value.slice(value.lastIndexOf("@") + 1) || 0;
  if (key === "lock" && axis){ axis.locked = true; axis.row.querySelector(".lock").checked = true; }
}
document.getElementById("reset").onclick = () => {axes.forEach(a => {a.delta=0; a.locked=false; a.row.querySelector(".lock").checked=false;}); update();};
function fill(ol, list, other){
  ol.innerHTML="";
  for (const i of list){const li=document.createElement("li"); li.dataset.item=D.items[i]; li.textContent=D.titles[i]; if(other && !other.includes(i)) li.className="new"; ol.appendChild(li);}
}
function update(){
  const row = +userSelect.value;
  const z = codes.subarray(row*dims, (row+1)*dims);
  const qs = basis(axes.filter(a => a.locked));
  const moved = Float64Array.from(z);
  let blocked = null;
  for (const a of axes){
    a.row.className = a.locked ? "locked" : "";
    a.row.querySelector(".delta").textContent = a.delta;
    a.row.querySelector(".minus").disabled = a.row.querySelector(".plus").disabled = a.locked;
    if (a.delta === 0 || a.locked) continue;
    const dir = orthogonal(a.direction, qs);
    if (!dir){ blocked = a.name; continue; }
    for (let i=0;i<dims;i++) moved[i] += a.delta*a.step*dir[i];
  }
  const before = topItems(decode(z), row, D.top), after = topItems(decode(moved), row, D.top);
  fill(document.getElementById("before"), before, null);
  fill(document.getElementById("after"), after, before);
  const sb = shares(before), sa = shares(after), st = document.querySelector("#shares tbody");
  st.innerHTML = "";
  attributes.forEach((a,k) => {
    if (sb[k] === 0 && sa[k] === 0) return;
    const tr=document.createElement("tr"); tr.dataset.attribute=a.name;
    tr.innerHTML=`<td></td><td class="before">${sb[k].toFixed(3)}</td><td class="after ${sa[k]>sb[k]?"up":sa[k]<sb[k]?"down":""}">${sa[k].toFixed(3)}</td>`;
    tr.cells[0].textContent=a.name; st.appendChild(tr);
  });
  document.body.dataset.blocked = blocked ?? "";
  if (document.body.dataset.ready !== "true") document.body.dataset.readyMs = Math.round(performance.now()); // time to the first list
  document.body.dataset.ready = "true";
}
update();
</script></body></html>
""";
}
