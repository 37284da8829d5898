/** @jsxImportSource hono/jsx */
/** A page's headline figures as a description list of label/value pairs (styled by `.figures`). */
export function Figures(props: { figures: [string, string][] }) {
  return (
    <dl class="figures">
      {props.figures.map(([label, value]) => (
        <div>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
