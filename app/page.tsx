export default function HomePage() {
  return (
    <main>
      <h1>Hookpost</h1>
      <p>Webhook delivery is running. The HTTP API lives under /api/v1.</p>
    </main>
  );
}
