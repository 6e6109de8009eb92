export default function LeftPortalPage() {
  return (
    <main className="page">
      <div className="login">
        <h1>You have left the portal</h1>
        <p className="panel">To come back, open a new link from where you found the last one.</p>
      </div>
    </main>
  );
}
